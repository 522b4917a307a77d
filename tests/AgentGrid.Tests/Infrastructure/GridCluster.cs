using AgentGrid.Grains.Records;
using AgentGrid.Contracts;
using AgentGrid.Grains;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Storage;
using AgentGrid.Inference;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// An Orleans test cluster with the grid's grains, SQLite grain storage in <paramref name="databasePath"/>
/// and the simulator as the only model.
/// </summary>
public static class GridCluster
{
    /// <param name="silos">How many silos; <paramref name="perSilo"/> adds each silo's own settings (by silo name: Silo_0, Silo_1, ...).</param>
    public static async Task<InProcessTestCluster> StartAsync(
        string databasePath, IDictionary<string, string?>? settings = null, StorageFaults? faults = null,
        short silos = 1, Func<string, IDictionary<string, string?>>? perSilo = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        // State is scoped by service id; a restarted grid must come back as the same service.
        builder.Options.ServiceId = "agentgrid-tests";
        var defaults = new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Simulator:TimeToFirstToken"] = "00:00:00.005",
            ["AgentGrid:Inference:Simulator:InterTokenLatency"] = "00:00:00.001",
            ["AgentGrid:Inference:Simulator:TokensPerReply"] = "8",
            ["AgentGrid:Inference:UseSimulator"] = "true",
            ["AgentGrid:Inference:DefaultModel"] = "simulator",
            // A backend that is down: nothing listens on this port.
            ["AgentGrid:Inference:Models:offline:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["AgentGrid:Inference:Models:offline:Timeout"] = "00:00:05",
            // Silos encrypt secrets in grain state under a key derived from it; fixed, so a restarted grid reads them back.
            ["AgentGrid:Auth:HashKey"] = Convert.ToBase64String("agentgrid-test-cluster-hash-key!"u8),
            // Launched model servers' pid files beside the test's data, not in the user's home.
            ["AgentGrid:Gpu:StateDirectory"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "node"),
        };
        builder.ConfigureSiloHost((silo, host) =>
        {
            host.Configuration.AddInMemoryCollection(defaults);
            if (settings is not null)
            {
                host.Configuration.AddInMemoryCollection(settings);
            }

            if (perSilo is not null)
            {
                host.Configuration.AddInMemoryCollection(perSilo(silo.SiloName));
            }

            if (Environment.GetEnvironmentVariable("AGENTGRID_TEST_LOGS") == "1")
            {
                host.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
            }
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(GridNames.StreamProvider));
        builder.ConfigureSilo((options, silo) =>
        {
            var records = Path.ChangeExtension(databasePath, ".records.db");
            if (faults is null)
            {
                silo.Services.AddSqliteRecords(records);
            }
            else
            {
                silo.Services.AddSingleton<IRecordStore>(new FaultyRecordStore(new SqliteRecordStore(records), faults));
            }

            // As the silo's host configuration has it (the composition reads its sections as it registers).
            silo.AddAgentGridSilo(new ConfigurationBuilder()
                .AddInMemoryCollection(defaults)
                .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
                .AddInMemoryCollection(perSilo?.Invoke(options.SiloName) ?? new Dictionary<string, string?>())
                .Build());
            silo.Services.AddRecordReminders();
            if (faults is null)
            {
                silo.AddSqliteGrainStorage(GridNames.StateStore, o => o.DatabasePath = databasePath);
                return;
            }

            silo.Services.AddGrainStorage(GridNames.StateStore, (sp, name) => new FaultyGrainStorage(
                new SqliteGrainStorage(name, new SqliteGrainStorageOptions { DatabasePath = databasePath },
                    sp.GetRequiredService<IOptions<ClusterOptions>>().Value, sp.GetRequiredService<ILogger<SqliteGrainStorage>>()),
                faults));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>One cluster shared by the grain tests; each test uses fresh keys.</summary>
public sealed class GridClusterFixture : IAsyncLifetime
{
    public const int MaxRetainedEvents = 100;
    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>A backend that takes 30 s to its first token, served as model <c>slow</c>, for cancellation tests.</summary>
    public InferenceSimulatorServer Slow { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slow = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromSeconds(30) });
        Cluster = await GridCluster.StartAsync(Path.Combine(_data.Path, "grid.db"), new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Models:slow:BaseUrl"] = Slow.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:slow:Model"] = SimulatorOptions.DefaultModelId,
            ["AgentGrid:Sessions:MaxRetainedEvents"] = MaxRetainedEvents.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Slow.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GridClusterCollection : ICollectionFixture<GridClusterFixture>
{
    public const string Name = "grid cluster";
}
