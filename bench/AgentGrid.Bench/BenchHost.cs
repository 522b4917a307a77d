using AgentGrid.Inference.Simulator;
using AgentGrid.Silo;

namespace AgentGrid.Bench;

/// <summary>One simulator and one embedded grid whose model <c>bench</c> is that same simulator.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly LoopbackGrid? _grid;
    private readonly GridProcess? _process;
    private readonly Uri? _external;
    private readonly DirectoryInfo _data;

    private BenchHost(InferenceSimulatorServer simulator, LoopbackGrid? grid, Uri? external, DirectoryInfo data, string key, GridProcess? process = null)
    {
        Key = key;
        Simulator = simulator;
        _grid = grid;
        _process = process;
        _external = external;
        _data = data;
    }

    public InferenceSimulatorServer Simulator { get; }

    public Uri Grid => _external ?? _process?.Address ?? _grid!.Address;

    /// <summary>The API key the bench sends: the embedded grid's bootstrap admin key, or the one given for <c>--grid-url</c>.</summary>
    public string Key { get; }

    /// <summary>A bootstrap admin key for a grid the bench starts.</summary>
    public static string NewKey() => "agk_bench_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static async Task<BenchHost> StartAsync(BenchOptions options)
    {
        var simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(options.TtftMs),
            InterTokenLatency = TimeSpan.FromMilliseconds(options.ItlMs),
            TokensPerReply = options.Tokens,
            MaxConcurrency = 4096,
            Port = options.SimulatorPort,
        });

        var data = Directory.CreateTempSubdirectory("agentgrid-bench-");
        if (options.GridUrl is { } url)
        {
            return new BenchHost(simulator, null, new Uri(url), data,
                options.ApiKey ?? throw new ArgumentException("--grid-url needs --api-key (or AGENTGRID_API_KEY): a key of that grid."));
        }

        if (options.GridProcess)
        {
            // As a user runs it: the silo's own process, with its own (server) garbage collector and thread pool.
            var process = await GridProcess.StartAsync(new Dictionary<string, string>
            {
                ["AgentGrid__Inference__Models__bench__BaseUrl"] = simulator.BaseUrl.ToString(),
                ["AgentGrid__Inference__Models__bench__Model"] = SimulatorOptions.DefaultModelId,
            });
            return new BenchHost(simulator, null, null, data, process.Key, process);
        }

        var key = NewKey();
        var grid = await LoopbackGrid.StartAsync(new Dictionary<string, string?>
        {
            ["AgentGrid:Auth:BootstrapKey"] = key,
            ["AgentGrid:Embedded:DataDirectory"] = data.FullName,
            ["AgentGrid:Embedded:SiloPort"] = "21111",
            ["AgentGrid:Embedded:GatewayPort"] = "40000",
            ["AgentGrid:Inference:Models:bench:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:bench:Model"] = SimulatorOptions.DefaultModelId,
        });
        return new BenchHost(simulator, grid, null, data, key);
    }

    public async ValueTask DisposeAsync()
    {
        if (_grid is not null)
        {
            await _grid.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
