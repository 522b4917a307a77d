using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Node;
using AgentGrid.Grains.Workers.Pool;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// Three silos, three nodes: <c>node-a</c> (primary) with one 24 GB GPU, <c>node-b</c> with two 80 GB GPUs,
/// <c>node-c</c> without GPUs; silos that tests start and stop or kill get nodes of one 40 GB GPU each (<see cref="NodeOf"/>). Workers run the simulator in process (tests inject faults into it); health checks and the autoscaler run fast.
/// </summary>
public sealed class GpuGridFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IGpuSchedulerGrain Scheduler => Grains.GetGrain<IGpuSchedulerGrain>(0);

    public async Task InitializeAsync()
    {
        Cluster = await GridCluster.StartAsync(Path.Combine(_data.Path, "grid.db"), new Dictionary<string, string?>
        {
            ["AgentGrid:Gpu:HealthCheckInterval"] = "00:00:00.100",
            ["AgentGrid:Gpu:RefreshInterval"] = "00:00:01",
            ["AgentGrid:Pools:AutoscaleInterval"] = "00:00:00.100",
            ["AgentGrid:Pools:ReadyWaitTimeout"] = "00:00:30",
            // Tests here inject faults into the simulator behind a worker, which needs it in the silo's process.
            ["AgentGrid:Gpu:Runtimes:simulator:InProcess"] = "true",
        }, silos: 3, perSilo: name => name switch
        {
            "Silo_0" => Node("node-a", ("Test GPU 24GB", "24GB", 1)),
            "Silo_1" => Node("node-b", ("Test GPU 80GB", "80GB", 2)),

            "Silo_2" => new Dictionary<string, string?> { ["AgentGrid:Gpu:NodeId"] = "node-c", ["AgentGrid:Gpu:Discovery"] = "none" },
            // Started by the tests that lose them.
            _ => Node(NodeOf(name), ("Test GPU 40GB", "40GB", 1)),
        });
        IReadOnlyList<GpuNode> nodes = [];
        await Eventually.TrueAsync(async () => (nodes = await Scheduler.ListNodesAsync()).Count == 2, TimeSpan.FromSeconds(30),
            $"both GPU nodes to report (have {string.Join(", ", nodes.Select(n => n.NodeId))})");
    }

    /// <summary>The node of a silo the fixture did not start itself: Silo_3 has node-d, Silo_4 node-e, and so on.</summary>
    public static string NodeOf(string siloName) => $"node-{(char)('a' + int.Parse(siloName["Silo_".Length..]))}";

    public string NodeOf(InProcessSiloHandle silo) => NodeOf(silo.Name);

    private static Dictionary<string, string?> Node(string id, (string Name, string Memory, int Count) gpu) => new()
    {
        ["AgentGrid:Gpu:NodeId"] = id,
        ["AgentGrid:Gpu:Discovery"] = "declared",
        ["AgentGrid:Gpu:Declared:0:Name"] = gpu.Name,
        ["AgentGrid:Gpu:Declared:0:Memory"] = gpu.Memory,
        ["AgentGrid:Gpu:Declared:0:Count"] = gpu.Count.ToString(),
    };

    /// <summary>Creates a simulator profile with a fresh name; <paramref name="extra"/> adds YAML sections.</summary>
    public async Task<ModelProfile> ProfileAsync(string memory = "20GB", int gpus = 1, int concurrent = 4, int queue = 4,
        string scaling = "{ max_replicas: 4, cooldown_seconds: 600 }", string parameters = "{ ttft_ms: \"5\", itl_ms: \"1\", tokens_per_reply: \"4\", load_ms: \"50\" }",
        string runtime = "simulator")
    {
        var name = Api.UniqueName("sim");
        return await Grains.GetGrain<IProfileRegistryGrain>(0).CreateAsync($$"""
            name: {{name}}
            category: chat
            source: {{(runtime == "simulator" ? "{ type: local, model_id: agentgrid-simulator }" : "{ type: huggingface, model_id: acme/not-installed }")}}
            container: { runtime: {{runtime}} }
            parameters: {{(runtime == "simulator" ? parameters : "{}")}}
            resources: { gpu_memory_min: {{memory}}, gpu_count: {{gpus}} }
            performance: { max_batch_size: {{concurrent}}, max_concurrent_requests: {{concurrent}}, max_queue: {{queue}} }
            scaling: {{scaling}}
            """);
    }

    public IWorkerPoolGrain Pool(ModelProfile profile) => Grains.GetGrain<IWorkerPoolGrain>(profile.Name);

    public async Task<WorkerInfo> ReadyWorkerAsync(ModelProfile profile, string? node = null)
    {
        WorkerInfo started;
        try
        {
            started = await Pool(profile).StartWorkerAsync(node, "test");
        }
        catch (Contracts.Errors.AgentGridException e) when (e.Code == Contracts.Errors.ErrorCodes.InsufficientGpuCapacity)
        {
            var held = await Scheduler.ListReservationsAsync();
            throw new InvalidOperationException($"{e.Message} Reserved now: {string.Join("; ", held.Select(r => $"{r.WorkerId} {r.Model} {r.MiBPerGpu} MiB"))}", e);
        }

        var ready = await WaitForStateAsync(started.WorkerId, WorkerStates.Ready);
        // Routing follows the pool's view, which hears of the change just after the worker itself.
        await Eventually.TrueAsync(async () => (await Pool(profile).GetStatusAsync()).Workers.Any(w => w.Worker.WorkerId == ready.WorkerId && w.Worker.State == WorkerStates.Ready),
            TimeSpan.FromSeconds(30), $"the pool to route to {ready.WorkerId}");
        return ready;
    }

    public async Task<WorkerInfo> WaitForStateAsync(string workerId, string state, TimeSpan? timeout = null)
    {
        WorkerInfo? info = null;
        await Eventually.TrueAsync(async () => (info = await Grains.GetGrain<IInferenceWorkerGrain>(workerId).GetAsync())?.State == state,
            timeout ?? TimeSpan.FromSeconds(30), $"worker {workerId} to be {state} (is {info?.State}: {info?.Reason})");
        return info!;
    }

    /// <summary>Stops every worker of these profiles and waits until their VRAM is free again.</summary>
    public async Task StopAllAsync(params ModelProfile[] profiles)
    {
        foreach (var profile in profiles)
        {
            foreach (var view in (await Pool(profile).GetStatusAsync()).Workers.Where(w => !WorkerStates.IsFinal(w.Worker.State)))
            {
                await Grains.GetGrain<IInferenceWorkerGrain>(view.Worker.WorkerId).StopAsync("test over");
            }
        }

        var names = profiles.Select(p => p.Name).ToHashSet();
        IReadOnlyList<GpuReservation> left = [];
        try
        {
            await Eventually.TrueAsync(async () => !(left = await Scheduler.ListReservationsAsync()).Any(r => names.Contains(r.Model)),
                TimeSpan.FromSeconds(30), "the test's reservations to be released");
        }
        catch (TimeoutException e)
        {
            var states = await Task.WhenAll(left.Where(r => names.Contains(r.Model))
                .Select(async r => $"{r.WorkerId} ({r.Model}): {(await Grains.GetGrain<IInferenceWorkerGrain>(r.WorkerId).GetAsync())?.State}"));
            throw new TimeoutException($"{e.Message} Still reserved: {string.Join("; ", states)}", e);
        }
    }

    public ModelServerHost ServersOf(string siloName) =>
        Cluster.Silos.Single(s => s.Name == siloName).ServiceProvider.GetRequiredService<ModelServerHost>();

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GpuGridCollection : ICollectionFixture<GpuGridFixture>
{
    public const string Name = "gpu grid";
}
