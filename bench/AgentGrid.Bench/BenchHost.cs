using AgentGrid.Inference.Simulator;
using AgentGrid.Silo;

namespace AgentGrid.Bench;

/// <summary>One simulator and one embedded grid whose model <c>bench</c> is that same simulator.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly LoopbackGrid _grid;
    private readonly DirectoryInfo _data;

    private BenchHost(InferenceSimulatorServer simulator, LoopbackGrid grid, DirectoryInfo data)
    {
        Simulator = simulator;
        _grid = grid;
        _data = data;
    }

    public InferenceSimulatorServer Simulator { get; }

    public Uri Grid => _grid.Address;

    public static async Task<BenchHost> StartAsync(BenchOptions options)
    {
        var simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(options.TtftMs),
            InterTokenLatency = TimeSpan.FromMilliseconds(options.ItlMs),
            TokensPerReply = options.Tokens,
            MaxConcurrency = 4096,
        });

        var data = Directory.CreateTempSubdirectory("agentgrid-bench-");
        var grid = await LoopbackGrid.StartAsync(new Dictionary<string, string?>
        {
            ["AgentGrid:Embedded:DataDirectory"] = data.FullName,
            ["AgentGrid:Embedded:SiloPort"] = "21111",
            ["AgentGrid:Embedded:GatewayPort"] = "40000",
            ["AgentGrid:Inference:Models:bench:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:bench:Model"] = SimulatorOptions.DefaultModelId,
        });
        return new BenchHost(simulator, grid, data);
    }

    public async ValueTask DisposeAsync()
    {
        await _grid.DisposeAsync();
        await Simulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
