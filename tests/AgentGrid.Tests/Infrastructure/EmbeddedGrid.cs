using AgentGrid.Silo;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// The real embedded default (silo + front door + simulator) on loopback ports of its own, with its
/// state in a given folder and a fast simulator. Set AGENTGRID_TEST_LOGS=1 to see its log.
/// </summary>
public sealed class EmbeddedGrid : IAsyncDisposable
{
    private readonly LoopbackGrid _grid;

    private EmbeddedGrid(LoopbackGrid grid)
    {
        _grid = grid;
        Http = new HttpClient { BaseAddress = grid.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address => _grid.Address;

    public HttpClient Http { get; }

    public IServiceProvider Services => _grid.Services;

    public static async Task<EmbeddedGrid> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AgentGrid:Embedded:DataDirectory"] = dataDirectory,
            ["AgentGrid:Embedded:SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid:Embedded:GatewayPort"] = FreePort.Next().ToString(),
            ["AgentGrid:Inference:Simulator:TimeToFirstToken"] = "00:00:00.002",
            ["AgentGrid:Inference:Simulator:InterTokenLatency"] = "00:00:00",
            ["AgentGrid:Inference:Simulator:TokensPerReply"] = "12",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new EmbeddedGrid(await LoopbackGrid.StartAsync(all, logs: Environment.GetEnvironmentVariable("AGENTGRID_TEST_LOGS") == "1"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _grid.DisposeAsync();
    }
}
