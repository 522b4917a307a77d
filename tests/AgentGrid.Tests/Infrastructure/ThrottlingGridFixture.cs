namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// An embedded grid of its own with a small failure limit, behind a "proxy" at 127.0.0.1: each test gives its
/// requests a client address of its own in <c>X-Forwarded-For</c>.
/// </summary>
public sealed class ThrottlingGridFixture : IAsyncLifetime
{
    public const int FailureLimit = 50;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);
    private readonly TempDirectory _data = new();

    public EmbeddedGrid Grid { get; private set; } = null!;

    public async Task InitializeAsync() => Grid = await EmbeddedGrid.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["AgentGrid:Auth:FailureLimit"] = FailureLimit.ToString(),
        ["AgentGrid:Auth:FailureWindow"] = FailureWindow.ToString(),
        ["AgentGrid:Auth:KnownProxies:0"] = "127.0.0.1",
        // Known keys stay cached through a long burst of bad ones, whatever the machine's speed.
        ["AgentGrid:Auth:KeyCacheTime"] = "00:05:00",
    });

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        _data.Dispose();
    }
}
