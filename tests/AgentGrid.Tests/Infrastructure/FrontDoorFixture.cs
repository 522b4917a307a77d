using AgentGrid.Inference.Simulator;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>One embedded grid shared by the HTTP tests: the simulator, plus a model whose backend is down.</summary>
public sealed class FrontDoorFixture : IAsyncLifetime
{
    public const int TokensPerReply = 12;
    private readonly TempDirectory _data = new();

    public EmbeddedGrid Grid { get; private set; } = null!;

    public HttpClient Http => Grid.Http;

    /// <summary>A backend that paces its 30 tokens 15 ms apart, served as model <c>paced</c>: long enough to act mid-reply.</summary>
    public InferenceSimulatorServer Paced { get; private set; } = null!;

    /// <summary>A backend that takes 30 s to its first token, served as model <c>slow</c>: a request stuck in prefill.</summary>
    public InferenceSimulatorServer Slow { get; private set; } = null!;

    /// <summary>
    /// A backend whose first token comes at once and the rest 200 ms apart, served as model
    /// <c>trickle</c>: seconds in which to act mid-reply, even on a busy machine.
    /// </summary>
    public InferenceSimulatorServer Trickle { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Trickle = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(10),
            InterTokenLatency = TimeSpan.FromMilliseconds(200),
            TokensPerReply = 30,
        });
        Slow = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromSeconds(30) });
        Paced = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(20),
            InterTokenLatency = TimeSpan.FromMilliseconds(15),
            TokensPerReply = 30,
        });
        Grid = await StartGridAsync();
    }

    private Task<EmbeddedGrid> StartGridAsync() => EmbeddedGrid.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["AgentGrid:Inference:Models:paced:BaseUrl"] = Paced.BaseUrl.ToString(),
        ["AgentGrid:Inference:Models:paced:Model"] = SimulatorOptions.DefaultModelId,
        ["AgentGrid:Inference:Models:capped:BaseUrl"] = Paced.BaseUrl.ToString(),
        ["AgentGrid:Inference:Models:capped:Model"] = SimulatorOptions.DefaultModelId,
        ["AgentGrid:Inference:Models:capped:MaxOutputTokens"] = "5",
        ["AgentGrid:Inference:Models:trickle:BaseUrl"] = Trickle.BaseUrl.ToString(),
        ["AgentGrid:Inference:Models:trickle:Model"] = SimulatorOptions.DefaultModelId,
        ["AgentGrid:Inference:Models:slow:BaseUrl"] = Slow.BaseUrl.ToString(),
        ["AgentGrid:Inference:Models:slow:Model"] = SimulatorOptions.DefaultModelId,
        ["AgentGrid:Inference:UseSimulator"] = "true",
        ["AgentGrid:Events:SubscriberBuffer"] = "32",
        ["AgentGrid:Pools:AutoscaleInterval"] = "00:00:00.200",
        ["AgentGrid:Metrics:GridRefresh"] = "00:00:00.200",
        ["AgentGrid:Sessions:MaxRetainedEvents"] = "100",
        ["AgentGrid:Inference:DefaultModel"] = "simulator",
        ["AgentGrid:Inference:Pricing:simulator:InputPerMillionUsd"] = "1000",
        ["AgentGrid:Inference:Pricing:simulator:OutputPerMillionUsd"] = "1000",
        ["AgentGrid:Inference:Models:offline:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
        ["AgentGrid:Inference:Models:offline:Timeout"] = "00:00:05",
    });

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        await Paced.DisposeAsync();
        await Slow.DisposeAsync();
        await Trickle.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FrontDoorCollection : ICollectionFixture<FrontDoorFixture>
{
    public const string Name = "front door";
}
