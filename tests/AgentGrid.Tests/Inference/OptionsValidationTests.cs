using AgentGrid.Embeddings;
using AgentGrid.Inference.Providers;
using AgentGrid.Grains;
using AgentGrid.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Inference;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Options_read_while_a_host_is_composed_stop_it_with_every_problem_listed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentGrid:Cluster:SiloPort"] = "11111",
            ["AgentGrid:Cluster:GatewayPort"] = "11111",
            ["AgentGrid:Cluster:AdvertisedAddress"] = "not-an-ip",
            ["AgentGrid:Cluster:Tls:CertificatePath"] = "/nonexistent/tls.crt",
        }).Build();

        var cluster = Assert.Throws<OptionsValidationException>(() =>
            AgentGrid.ServiceDefaults.CompositionOptions.Read(configuration, GridClusterOptions.SectionName, new GridClusterOptionsValidator()));
        Assert.Contains(cluster.Failures, f => f.Contains("Redis is required"));
        Assert.Contains(cluster.Failures, f => f.Contains("Postgres is required"));
        Assert.Contains(cluster.Failures, f => f.Contains("distinct ports"));
        Assert.Contains(cluster.Failures, f => f.Contains("'not-an-ip'"));

        var tls = Assert.Throws<OptionsValidationException>(() => AgentGrid.FrontDoor.Cluster.ClusterTlsOptions.Read(configuration));
        Assert.Equal(["CertificatePath", "KeyPath", "CaPath"], tls.Failures.Select(f => f.Split(':')[3].Split(' ')[0]));
    }

    [Fact]
    public void Embedding_backends_are_checked_at_start_with_every_problem_listed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Embeddings:all-MiniLM-L6-v2:BaseUrl"] = "http://localhost:8080/v1",
            ["AgentGrid:Inference:Embeddings:all-MiniLM-L6-v2:Dimensions"] = "384",
            ["AgentGrid:Inference:Embeddings:tei:BaseUrl"] = "localhost:8080",
            ["AgentGrid:Inference:Embeddings:tei:Dimensions"] = "0",
        }).Build();
        using var services = new ServiceCollection().AddAgentGridEmbeddings(configuration).BuildServiceProvider();

        var failures = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AgentGrid.Embeddings.EmbeddingOptions>>().Value).Failures;

        Assert.Equal(3, failures.Count());
        Assert.Contains(failures, f => f.Contains("Embeddings:all-MiniLM-L6-v2") && f.Contains("cannot be the built-in model's"));
        Assert.Contains(failures, f => f.Contains("Embeddings:tei:BaseUrl"));
        Assert.Contains(failures, f => f.Contains("Embeddings:tei:Dimensions"));
    }

    [Theory]
    [InlineData("https://portal.example.com", true)]
    [InlineData("https://portal.example.com/path", false)]
    public void Browser_origins_are_checked_one_by_one(string origin, bool valid) =>
        Assert.Equal(valid, new AgentGrid.FrontDoor.Chat.BrowserOptionsValidator()
            .Validate(null, new AgentGrid.FrontDoor.Chat.BrowserOptions { AllowedOrigins = [origin] }).Succeeded);

    [Fact]
    public void Inference_options_report_every_problem_at_once()
    {
        var options = new InferenceOptions
        {
            DefaultModel = "missing",
            ProbeTimeout = TimeSpan.Zero,
            Models =
            {
                ["good"] = new ModelEndpointOptions { BaseUrl = "http://localhost:8000/v1" },
                ["bad url"] = new ModelEndpointOptions { BaseUrl = "localhost:8000" },
                ["slow"] = new ModelEndpointOptions { BaseUrl = "ftp://x/v1", Timeout = TimeSpan.Zero },
                ["keyed"] = new ModelEndpointOptions { BaseUrl = "https://api.example/v1", ApiKeyEnvironmentVariable = "AGENTGRID_TEST_UNSET_KEY" },
            },
        };
        options.Simulator.TokensPerReply = 0;

        var failures = new InferenceOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Models:bad url: model names"));
        Assert.Contains(failures, f => f.Contains("Models:bad url:BaseUrl"));
        Assert.Contains(failures, f => f.Contains("Models:slow:BaseUrl"));
        Assert.Contains(failures, f => f.Contains("Models:slow:Timeout"));
        Assert.Contains(failures, f => f.Contains("AGENTGRID_TEST_UNSET_KEY"));
        Assert.Contains(failures, f => f.Contains("DefaultModel 'missing'"));
        Assert.Contains(failures, f => f.Contains("ProbeTimeout"));
        Assert.Contains(failures, f => f.Contains("TokensPerReply"));
        Assert.DoesNotContain(failures, f => f.Contains("Models:good"));
    }

    [Fact]
    public void With_no_models_the_simulator_is_the_default_and_the_options_are_valid()
    {
        var options = new InferenceOptions();

        Assert.True(new InferenceOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.SimulatorEnabled);
        Assert.Equal("simulator", options.ResolvedDefaultModel);
    }

    [Fact]
    public void One_configured_model_turns_the_simulator_off_and_becomes_the_default()
    {
        var options = new InferenceOptions { Models = { ["llama3"] = new ModelEndpointOptions { BaseUrl = "http://localhost:11434/v1" } } };

        Assert.False(options.SimulatorEnabled);
        Assert.Equal("llama3", options.ResolvedDefaultModel);
    }

    [Fact]
    public void Several_models_without_a_default_are_rejected()
    {
        var options = new InferenceOptions
        {
            Models =
            {
                ["a"] = new ModelEndpointOptions { BaseUrl = "http://localhost:1/v1" },
                ["b"] = new ModelEndpointOptions { BaseUrl = "http://localhost:2/v1" },
            },
        };

        Assert.Contains(new InferenceOptionsValidator().Validate(null, options).Failures!, f => f.Contains("DefaultModel must name one"));
    }

    [Fact]
    public void Embedded_options_report_every_problem_at_once()
    {
        var failures = new EmbeddedOptionsValidator().Validate(null, new EmbeddedOptions
        {
            DataDirectory = " ",
            SiloPort = 7000,
            GatewayPort = 7000,
            ServiceId = "",
            GrainCallTimeout = TimeSpan.Zero,
        }).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("must differ"));
    }

    [Fact]
    public void Gpu_options_report_every_problem_at_once()
    {
        var options = new AgentGrid.Grains.Gpu.GpuOptions
        {
            NodeId = "has space",
            Discovery = "magic",
            Declared = [new() { Memory = "lots", Count = 0 }],
            Servers = { ["qwen"] = "localhost:8000" },
            FailedChecksBeforeFailure = 0,
            OnShutdown = "explode",
            ShutdownDrainTimeout = TimeSpan.FromSeconds(-1),
        };

        var failures = new AgentGrid.Grains.Gpu.GpuOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("NodeId"));
        Assert.Contains(failures, f => f.Contains("Discovery"));
        Assert.Contains(failures, f => f.Contains("Declared:0:Memory"));
        Assert.Contains(failures, f => f.Contains("Declared:0:Count"));
        Assert.Contains(failures, f => f.Contains("Servers:qwen"));
        Assert.Contains(failures, f => f.Contains("FailedChecksBeforeFailure"));
        Assert.Contains(failures, f => f.Contains("OnShutdown must be release or resume (was 'explode')"));
        Assert.Contains(failures, f => f.Contains("ShutdownDrainTimeout"));
    }

    [Fact]
    public void Pool_options_that_would_break_every_pool_stop_the_start()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AgentGrid:Pools:AutoscaleInterval"] = "00:00:00", ["AgentGrid:Pools:LeaseTimeout"] = "00:00:00" }).Build());
        services.AddAgentGridGrains();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AgentGrid.Grains.Workers.Pool.PoolOptions>>().Value);
        Assert.Equal(["AgentGrid:Pools:AutoscaleInterval must be at least 50 ms.", "AgentGrid:Pools:LeaseTimeout must be at least 1 s."], error.Failures);
    }
}
