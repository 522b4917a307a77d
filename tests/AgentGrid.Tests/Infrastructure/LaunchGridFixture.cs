using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Node;
using AgentGrid.Grains.Workers.Node.Runtimes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// One silo whose node finds one H100 through a stand-in nvidia-smi (real captured output, with its GPU UUID) and launches real
/// server processes: vllm, tgi, tei, llama_cpp and sglang are the <c>fake-server</c> script (it records its command line and
/// environment, then serves with the simulator), the simulator runtime is the silo's own executable, and ollama the <c>fake-ollama</c> script (the simulator's Ollama mode). Restarts and stops run fast;
/// profiles sent to the API may carry commands (a test of the refusal uses another grid).
/// </summary>
public sealed class LaunchGridFixture : IAsyncLifetime
{
    public const string GpuUuid = "GPU-d2e14f23-4514-abf7-f137-c9a6cf9cbc82";

    /// <summary>A variable of the silo's environment that stands for its secrets: no server may see it.</summary>
    public const string SiloSecretVariable = "AGENTGRID_TEST_SILO_SECRET";

    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The folder of the stand-in executables and what they recorded (<c>records/</c>).</summary>
    public string Tools => Path.Combine(_data.Path, "tools");

    public string StateDirectory => Path.Combine(_data.Path, "node-state");

    /// <summary>The ports its servers are given (<c>AgentGrid:Gpu:ServerPortRange</c>), as a network policy would open them.</summary>
    public static readonly (int First, int Last) ServerPorts = (47100, 47399);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Tools);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "FakeRuntimes")))
        {
            var copy = Path.Combine(Tools, Path.GetFileName(file));
            File.Copy(file, copy);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "nvidia-smi", "query-gpu.csv"), Path.Combine(Tools, "query-gpu.csv"));
        File.WriteAllText(Path.Combine(Tools, "silo"), string.Join(' ', SiloExecutable.Command));
        Environment.SetEnvironmentVariable(SiloSecretVariable, "postgres://agentgrid:hunter2@db/agentgrid");

        var settings = new Dictionary<string, string?>
        {
            ["AgentGrid:Gpu:NodeId"] = "gpu-node",
            ["AgentGrid:Gpu:Discovery"] = "nvidia-smi",
            ["AgentGrid:Gpu:NvidiaSmiPath"] = Path.Combine(Tools, "nvidia-smi"),
            ["AgentGrid:Gpu:StateDirectory"] = StateDirectory,
            ["AgentGrid:Gpu:ServerPortRange"] = $"{ServerPorts.First}-{ServerPorts.Last}",
            // A declared host as big as a GPU server's (the test machine has two cores): profiles ask for 2-4 cores each.
            ["AgentGrid:Gpu:CpuCores"] = "64",
            ["AgentGrid:Gpu:Ram"] = "512GB",
            ["AgentGrid:Gpu:HealthCheckInterval"] = "00:00:00.100",
            ["AgentGrid:Gpu:RefreshInterval"] = "00:00:01",
            ["AgentGrid:Gpu:RestartBackoff"] = "00:00:00.100",
            ["AgentGrid:Gpu:MaxCrashes"] = "3",
            ["AgentGrid:Gpu:StopGracePeriod"] = "00:00:10",
            ["AgentGrid:Gpu:AllowApiCommands"] = "true",
            ["AgentGrid:Pools:AutoscaleInterval"] = "00:00:00.100",
            ["AgentGrid:Pools:ReadyWaitTimeout"] = "00:00:30",
        };
        foreach (var runtime in new[] { ModelRuntimes.Vllm, ModelRuntimes.Tgi, ModelRuntimes.Tei, ModelRuntimes.LlamaCpp, ModelRuntimes.Sglang })
        {
            settings[$"AgentGrid:Gpu:Runtimes:{runtime}:Command"] = "bash";
            settings[$"AgentGrid:Gpu:Runtimes:{runtime}:Arguments:0"] = Path.Combine(Tools, "fake-server");
            settings[$"AgentGrid:Gpu:Runtimes:{runtime}:Arguments:1"] = runtime;
        }

        settings[$"AgentGrid:Gpu:Runtimes:{ModelRuntimes.Ollama}:Command"] = "bash";
        settings[$"AgentGrid:Gpu:Runtimes:{ModelRuntimes.Ollama}:Arguments:0"] = Path.Combine(Tools, "fake-ollama");
        Cluster = await GridCluster.StartAsync(Path.Combine(_data.Path, "grid.db"), settings);
        await Eventually.TrueAsync(async () => (await Grains.GetGrain<IGpuSchedulerGrain>(0).ListNodesAsync()).Count == 1, TimeSpan.FromSeconds(30), "the GPU node to report");
    }

    public ModelServerHost Servers => Cluster.Silos[0].ServiceProvider.GetRequiredService<ModelServerHost>();

    public IWorkerPoolGrain Pool(ModelProfile profile) => Grains.GetGrain<IWorkerPoolGrain>(profile.Name);

    public Task<ModelProfile> CreateAsync(string yaml) => Grains.GetGrain<IProfileRegistryGrain>(0).CreateAsync(yaml);

    public async Task<WorkerInfo> StartReadyAsync(ModelProfile profile)
    {
        var started = await Pool(profile).StartWorkerAsync(null, "test");
        return await WaitForAsync(started.WorkerId, info => info.State == WorkerStates.Ready, "ready");
    }

    public async Task<WorkerInfo> WaitForAsync(string workerId, Func<WorkerInfo, bool> condition, string what)
    {
        WorkerInfo? info = null;
        await Eventually.TrueAsync(async () => (info = await Grains.GetGrain<IInferenceWorkerGrain>(workerId).GetAsync()) is { } i && condition(i),
            TimeSpan.FromSeconds(60), $"worker {workerId} to be {what} (is {info?.State}: {info?.Reason}); its log: {string.Join(" | ", Servers.Logs(workerId, 10) ?? [])}");
        return info!;
    }

    /// <summary>What the stand-in server for <paramref name="worker"/> recorded: its arguments and environment.</summary>
    public (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string RecordPath) RecordOf(WorkerInfo worker)
    {
        var port = new Uri(worker.Endpoint!).Port.ToString();
        foreach (var args in Directory.EnumerateFiles(Path.Combine(Tools, "records"), "*.args"))
        {
            var lines = File.ReadAllLines(args);
            var at = Array.IndexOf(lines, "--port");
            if (at >= 0 && lines[at + 1] == port)
            {
                var record = args[..^".args".Length];
                var environment = File.ReadAllLines(record + ".env").Where(l => l.Contains('='))
                    .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                return (lines, environment, record);
            }
        }

        throw new InvalidOperationException($"No stand-in server recorded port {port}.");
    }

    /// <summary>What the stand-in nvidia-smi reports as GPU memory per process (<c>pid, gpu_uuid, used_memory</c> lines).</summary>
    public void ReportComputeApps(string csv) => File.WriteAllText(Path.Combine(Tools, "compute-apps.csv"), csv);

    public async Task StopAsync(WorkerInfo worker)
    {
        await Grains.GetGrain<IInferenceWorkerGrain>(worker.WorkerId).StopAsync("test over");
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Environment.SetEnvironmentVariable(SiloSecretVariable, null);
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LaunchGridCollection : ICollectionFixture<LaunchGridFixture>
{
    public const string Name = "launch grid";
}
