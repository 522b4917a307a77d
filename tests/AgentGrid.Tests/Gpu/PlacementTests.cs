using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Workers;
using AgentGrid.Tests.Infrastructure;
using Orleans.Streams;

namespace AgentGrid.Tests.Gpu;

[Collection(GpuGridCollection.Name)]
public sealed class PlacementTests(GpuGridFixture grid)
{
    [Fact]
    public async Task Each_silo_reports_the_gpus_of_its_own_node()
    {
        var nodes = await grid.Scheduler.ListNodesAsync();

        var a = nodes.Single(n => n.NodeId == "node-a");
        var b = nodes.Single(n => n.NodeId == "node-b");
        Assert.Equal(("declared", 24576L), (a.Discovery, Assert.Single(a.Gpus).Device.TotalMiB));
        Assert.Equal([81920L, 81920L], b.Gpus.Select(g => g.Device.TotalMiB));
        Assert.NotEqual(a.Silo, b.Silo);
        Assert.DoesNotContain(nodes, n => n.NodeId == "node-c");
        Assert.All(nodes, n => Assert.Equal(GpuNodeStatus.Online, n.Status));
    }

    [Fact]
    public async Task Worker_goes_to_the_tightest_gpu_that_fits_and_runs_on_that_nodes_silo()
    {
        var profile = await grid.ProfileAsync(memory: "20GB");
        try
        {
            var worker = await grid.ReadyWorkerAsync(profile);

            Assert.Equal("node-a", worker.NodeId);
            var node = (await grid.Scheduler.ListNodesAsync()).Single(n => n.NodeId == "node-a");
            Assert.Equal(node.Silo, worker.Silo);
            Assert.Equal(20480, Assert.Single(node.Gpus).ReservedMiB);
            Assert.Equal(24576 - 20480, node.Gpus[0].SchedulableMiB);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Two_gpu_model_takes_both_gpus_of_one_node()
    {
        var profile = await grid.ProfileAsync(memory: "100GB", gpus: 2);
        try
        {
            var worker = await grid.ReadyWorkerAsync(profile);

            Assert.Equal(("node-b", 51200L), (worker.NodeId, worker.ReservedMiBPerGpu));
            Assert.Equal([0, 1], worker.GpuIndexes);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Capacity_changes_are_published_on_the_nodes_stream()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<NodeCapacityEvent>();
        var stream = grid.Cluster.Client.GetStreamProvider(AgentGrid.Contracts.GridNames.StreamProvider)
            .GetStream<NodeCapacityEvent>(Orleans.Runtime.StreamId.Create(AgentGrid.Contracts.GridNames.NodesStreamNamespace, AgentGrid.Contracts.GridNames.ClusterStreamKey));
        var subscription = await stream.SubscribeAsync((e, _) => { events.Enqueue(e); return Task.CompletedTask; });
        var profile = await grid.ProfileAsync(memory: "30GB");
        try
        {
            var reservation = await grid.Scheduler.ReserveAsync(null, profile, null);
            await grid.Scheduler.ReleaseAsync(reservation.WorkerId);

            await Eventually.TrueAsync(() => events.Count(e => e.Reason.Contains(reservation.WorkerId)) == 2, TimeSpan.FromSeconds(10), "the reserve and release events");
            var (reserved, released) = (events.First(e => e.Reason.StartsWith("reserved", StringComparison.Ordinal) && e.Reason.Contains(reservation.WorkerId)),
                events.First(e => e.Reason.StartsWith("released", StringComparison.Ordinal) && e.Reason.Contains(reservation.WorkerId)));
            Assert.Equal(30720, reserved.Node.Gpus.Single(g => g.Device.Index == reservation.GpuIndexes[0]).ReservedMiB);
            Assert.Equal(0, released.Node.Gpus.Single(g => g.Device.Index == reservation.GpuIndexes[0]).ReservedMiB);
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_placements_never_overcommit_a_gpu()
    {
        // 30 GB: nothing on node-a (24 GB); two per 80 GB GPU on node-b, so exactly four fit.
        var profile = await grid.ProfileAsync(memory: "30GB");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async Task<(GpuReservation? Reservation, AgentGridException? Error)> (_) =>
        {
            try
            {
                return (await grid.Scheduler.ReserveAsync(null, profile, null), null);
            }
            catch (AgentGridException e)
            {
                return (null, e);
            }
        }));

        try
        {
            Assert.Equal(4, attempts.Count(a => a.Reservation is not null));
            Assert.All(attempts.Where(a => a.Error is not null), a => Assert.Equal(ErrorCodes.InsufficientGpuCapacity, a.Error!.Code));
            foreach (var gpu in (await grid.Scheduler.ListNodesAsync()).SelectMany(n => n.Gpus))
            {
                Assert.True(gpu.ReservedMiB <= gpu.Device.TotalMiB, $"GPU {gpu.Device.Index} over-committed: {gpu.ReservedMiB} of {gpu.Device.TotalMiB} MiB");
            }
        }
        finally
        {
            foreach (var reservation in attempts.Select(a => a.Reservation).OfType<GpuReservation>())
            {
                await grid.Scheduler.ReleaseAsync(reservation.WorkerId);
            }
        }
    }

    [Fact]
    public async Task Nodes_advertise_cpu_and_ram_and_a_profile_needing_more_than_any_node_has_left_is_not_placed()
    {
        var greedy = await grid.Grains.GetGrain<IProfileRegistryGrain>(0).CreateAsync($$"""
            name: {{Api.UniqueName("greedy")}}
            category: chat
            source: { type: local, model_id: agentgrid-simulator }
            container: { runtime: simulator }
            resources: { gpu_memory_min: 10GB, cpu_cores: 1000, ram: 16GB }
            """);

        var error = await Assert.ThrowsAsync<AgentGridException>(() => grid.Pool(greedy).StartWorkerAsync(null, "test"));
        var nodes = await grid.Scheduler.ListNodesAsync();

        Assert.Equal(ErrorCodes.InsufficientGpuCapacity, error.Code);
        Assert.Contains("1000 CPU cores and 16GB of RAM", error.Message);
        Assert.All(nodes, n => Assert.True(n.CpuCores >= 1 && n.RamMiB > 0, $"{n.NodeId} reports no CPU or RAM"));
    }

    [Fact]
    public async Task No_fit_says_what_was_needed_and_what_is_free()
    {
        var profile = await grid.ProfileAsync(memory: "90GB");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => grid.Pool(profile).StartWorkerAsync(null, "test"));

        Assert.Equal(ErrorCodes.InsufficientGpuCapacity, error.Code);
        Assert.Contains("90GB free", error.Message);
        Assert.Contains("the most free on one GPU is 80GB", error.Message);
        Assert.Empty((await grid.Pool(profile).GetStatusAsync()).Workers);
    }

    [Fact]
    public async Task Asking_for_a_node_places_there_or_names_the_problem()
    {
        var profile = await grid.ProfileAsync(memory: "20GB");
        try
        {
            var onB = await grid.ReadyWorkerAsync(profile, node: "node-b");
            Assert.Equal("node-b", onB.NodeId);

            var unknown = await Assert.ThrowsAsync<AgentGridException>(() => grid.Pool(profile).StartWorkerAsync("node-z", "test"));
            Assert.Equal((ErrorCodes.NodeNotFound, "node"), (unknown.Code, unknown.Field));
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task A_worker_that_cannot_load_fails_and_releases_its_vram()
    {
        // A vLLM profile on a node without vLLM installed (and no attached server): loading fails.
        var profile = await grid.ProfileAsync(memory: "10GB", runtime: "vllm");

        var started = await grid.Pool(profile).StartWorkerAsync(null, "test");
        var failed = await grid.WaitForStateAsync(started.WorkerId, WorkerStates.Failed);

        Assert.Contains("not an executable", failed.Reason);
        Assert.Contains("AgentGrid:Gpu:Runtimes:vllm:Command", failed.Reason);
        Assert.DoesNotContain(await grid.Scheduler.ListReservationsAsync(), r => r.WorkerId == started.WorkerId);
    }

    [Fact]
    public async Task A_worker_whose_server_stops_answering_fails_frees_its_vram_and_its_requests_go_elsewhere()
    {
        var profile = await grid.ProfileAsync(memory: "20GB");
        try
        {
            var onA = await grid.ReadyWorkerAsync(profile, node: "node-a");
            var onB = await grid.ReadyWorkerAsync(profile, node: "node-b");
            var pool = grid.Pool(profile);

            await grid.ServersOf("Silo_0").Simulator(onA.WorkerId)!.DisposeAsync();
            await grid.WaitForStateAsync(onA.WorkerId, WorkerStates.Failed);

            Assert.DoesNotContain(await grid.Scheduler.ListReservationsAsync(), r => r.WorkerId == onA.WorkerId);
            for (var i = 0; i < 5; i++)
            {
                var lease = await pool.AcquireAsync(new RouteRequest($"key-{i}", []));
                Assert.Equal(onB.WorkerId, lease.WorkerId);
                await pool.ReleaseAsync(lease.LeaseId, new LeaseOutcome(true, false, 1, 1));
            }
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }
}
