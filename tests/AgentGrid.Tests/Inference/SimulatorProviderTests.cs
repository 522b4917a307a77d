using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Inference;

/// <summary>The provider code the grid uses for real backends, talking HTTP to the simulator.</summary>
public sealed class SimulatorProviderTests : IAsyncLifetime
{
    private InferenceSimulatorServer _simulator = null!;

    public async Task InitializeAsync() => _simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
    {
        TimeToFirstToken = TimeSpan.FromMilliseconds(2),
        InterTokenLatency = TimeSpan.Zero,
        TokensPerReply = 10,
        Models = ["sim-a", "sim-b"],
    });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private static ChatModelInvoker Invoker(params (string Name, ModelEndpointOptions Endpoint)[] models)
    {
        var options = new InferenceOptions { UseSimulator = false, DefaultModel = models[0].Name };
        foreach (var (name, endpoint) in models)
        {
            options.Models[name] = endpoint;
        }

        return new ChatModelInvoker(new EndpointCatalog(Options.Create(options)), NullLogger<ChatModelInvoker>.Instance);
    }

    private ModelEndpointOptions Endpoint(string model) => new() { BaseUrl = _simulator.BaseUrl.ToString(), Model = model };

    private static readonly List<ChatMessage> Prompt = [new(ChatRole.System, "Be terse."), new(ChatRole.User, "Hi")];

    [Fact]
    public async Task The_openai_provider_gets_the_simulators_deterministic_reply_and_usage()
    {
        var reply = await Invoker(("main", Endpoint("sim-a"))).CompleteAsync("main", Prompt, new ModelParameters(), CancellationToken.None);

        Assert.Equal(SimulatedReply.Text("sim-a", [("system", "Be terse."), ("user", "Hi")], 10), reply.Text);
        Assert.Equal(10, reply.OutputTokens);
        Assert.True(reply.InputTokens > 0);
    }

    [Fact]
    public async Task The_reply_depends_on_the_upstream_model_and_the_prompt()
    {
        var invoker = Invoker(("a", Endpoint("sim-a")), ("b", Endpoint("sim-b")));

        var a = await invoker.CompleteAsync("a", Prompt, new ModelParameters(), CancellationToken.None);
        var b = await invoker.CompleteAsync("b", Prompt, new ModelParameters(), CancellationToken.None);
        var other = await invoker.CompleteAsync("a", [new(ChatRole.User, "Bye")], new ModelParameters(), CancellationToken.None);

        Assert.NotEqual(a.Text, b.Text);
        Assert.NotEqual(a.Text, other.Text);
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_short_with_finish_reason_length()
    {
        var reply = await Invoker(("main", Endpoint("sim-a")))
            .CompleteAsync("main", Prompt, new ModelParameters { MaxTokens = 3 }, CancellationToken.None);

        Assert.Equal(3, reply.OutputTokens);
        Assert.Equal("length", reply.FinishReason);
    }

    [Fact]
    public async Task A_tenants_cache_salt_reaches_the_server_so_only_that_tenant_reuses_its_cached_prefix()
    {
        var client = new EndpointCatalog(Options.Create(new InferenceOptions { UseSimulator = false, DefaultModel = "main", Models = { ["main"] = Endpoint("sim-a") } })).Get("main");
        var invoker = Invoker(("main", Endpoint("sim-a")));
        List<ChatMessage> prompt = [new(ChatRole.System, string.Join(' ', Enumerable.Range(0, 100).Select(i => $"salted{i}"))), new(ChatRole.User, "Hi")];

        async Task<long?> CachedAsync(string tenant)
        {
            long? cached = null;
            await foreach (var update in invoker.StreamAsync(client, prompt, new ModelParameters(), null, CancellationToken.None, CacheSalts.For(tenant)))
            {
                cached = update.CachedTokens ?? cached;
            }

            return cached;
        }

        Assert.Equal(0, await CachedAsync("tenant-a"));
        Assert.Equal(0, await CachedAsync("tenant-b"));
        Assert.True(await CachedAsync("tenant-a") > 0);
        Assert.NotEqual(CacheSalts.For("tenant-a"), CacheSalts.For("tenant-b"));
        Assert.True(CacheSalts.TakenBy("vllm") && CacheSalts.TakenBy("simulator") && !CacheSalts.TakenBy("tgi") && !CacheSalts.TakenBy(null));
    }

    [Fact]
    public async Task Streaming_through_the_same_client_yields_the_same_text_token_by_token()
    {
        var client = OpenAiCompatibleClientFactory.Create(_simulator.BaseUrl, "sim-a", null, TimeSpan.FromSeconds(10));

        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                pieces.Add(update.Text);
            }
        }

        Assert.Equal(10, pieces.Count);
        Assert.Equal(SimulatedReply.Text("sim-a", [("system", "Be terse."), ("user", "Hi")], 10), string.Concat(pieces));
    }

    [Fact]
    public async Task A_backend_that_is_down_gives_model_unavailable()
    {
        var invoker = Invoker(("down", new ModelEndpointOptions { BaseUrl = $"http://127.0.0.1:{FreePort.Next()}/v1" }));

        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            invoker.CompleteAsync("down", Prompt, new ModelParameters(), CancellationToken.None));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
        Assert.Contains("refused", error.Message);
    }

    [Fact]
    public async Task A_model_the_backend_does_not_serve_gives_model_unavailable_with_the_status()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            Invoker(("ghost", Endpoint("no-such-model"))).CompleteAsync("ghost", Prompt, new ModelParameters(), CancellationToken.None));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
        Assert.Contains("404", error.Message);
    }

    [Fact]
    public async Task A_backend_slower_than_the_timeout_gives_model_unavailable()
    {
        await using var slow = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromSeconds(30) });
        var invoker = Invoker(("slow", new ModelEndpointOptions
        {
            BaseUrl = slow.BaseUrl.ToString(),
            Model = SimulatorOptions.DefaultModelId,
            Timeout = TimeSpan.FromMilliseconds(300),
        }));

        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            invoker.CompleteAsync("slow", Prompt, new ModelParameters(), CancellationToken.None));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
        Assert.Contains("no reply within", error.Message);
        await Eventually.TrueAsync(() => slow.Engine.Running == 0, TimeSpan.FromSeconds(10), "the abandoned request to free its slot");
    }

    [Fact]
    public async Task A_model_no_longer_configured_gives_model_unavailable()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            Invoker(("main", Endpoint("sim-a"))).CompleteAsync("other", Prompt, new ModelParameters(), CancellationToken.None));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
        Assert.Contains("not configured", error.Message);
    }

    [Fact]
    public async Task A_request_the_backend_rejects_gives_model_rejected()
    {
        // The simulator, like real servers, answers 400 to a temperature outside [0, 2].
        var error = await Assert.ThrowsAsync<AgentGridException>(() =>
            Invoker(("main", Endpoint("sim-a"))).CompleteAsync("main", Prompt, new ModelParameters { Temperature = 5 }, CancellationToken.None));

        Assert.Equal(ErrorCodes.ModelRejected, error.Code);
        Assert.Contains("400", error.Message);
    }

    [Fact]
    public async Task The_simulator_queues_requests_beyond_its_concurrency_and_paces_them_from_admission()
    {
        await using var narrow = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            MaxConcurrency = 1,
            TimeToFirstToken = TimeSpan.FromMilliseconds(1500),
            TokensPerReply = 2,
        });
        var invoker = Invoker(("narrow", new ModelEndpointOptions { BaseUrl = narrow.BaseUrl.ToString(), Model = SimulatorOptions.DefaultModelId }));

        var first = invoker.CompleteAsync("narrow", Prompt, new ModelParameters(), CancellationToken.None);
        await Eventually.TrueAsync(() => narrow.Engine.Running == 1, TimeSpan.FromSeconds(10), "the first request to be admitted");
        var second = invoker.CompleteAsync("narrow", [new(ChatRole.User, "second")], new ModelParameters(), CancellationToken.None);
        await Eventually.TrueAsync(() => narrow.Engine.Waiting == 1, TimeSpan.FromSeconds(10), "the second request to queue");

        Assert.Equal(1, narrow.Engine.Running);
        await first;
        await Eventually.TrueAsync(() => narrow.Engine.Waiting == 0 && narrow.Engine.Running == 1, TimeSpan.FromSeconds(10), "the second request to be admitted");
        Assert.False(second.IsCompleted, "an admitted request still waits its full time to first token");
        Assert.Equal(2, (await second).OutputTokens);
    }
}
