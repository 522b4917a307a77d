namespace AgentGrid.Tests.Infrastructure;

/// <summary>One embedded grid shared by the HTTP tests: the simulator, plus a model whose backend is down.</summary>
public sealed class FrontDoorFixture : IAsyncLifetime
{
    public const int TokensPerReply = 12;
    private readonly TempDirectory _data = new();

    public EmbeddedGrid Grid { get; private set; } = null!;

    public HttpClient Http => Grid.Http;

    public async Task InitializeAsync() => Grid = await EmbeddedGrid.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["AgentGrid:Inference:UseSimulator"] = "true",
        ["AgentGrid:Inference:DefaultModel"] = "simulator",
        ["AgentGrid:Inference:Models:offline:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
        ["AgentGrid:Inference:Models:offline:Timeout"] = "00:00:05",
    });

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FrontDoorCollection : ICollectionFixture<FrontDoorFixture>
{
    public const string Name = "front door";
}
