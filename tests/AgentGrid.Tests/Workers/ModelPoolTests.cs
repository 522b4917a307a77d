using System.Collections.Concurrent;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Tests.Infrastructure;
using Orleans.Streams;

namespace AgentGrid.Tests.Workers;

[Collection(GpuGridCollection.Name)]
public sealed class ModelPoolTests(GpuGridFixture grid)
{
    private static readonly LeaseOutcome Done = new(true, false, 5, 1);

    [Fact]
    public async Task A_session_keeps_its_worker_and_new_sessions_spread_over_workers()
    {
        var profile = await grid.ProfileAsync(memory: "10GB");
        try
        {
            await grid.ReadyWorkerAsync(profile, "node-b");
            await grid.ReadyWorkerAsync(profile, "node-b");
            var pool = grid.Pool(profile);

            var first = await pool.AcquireAsync(new RouteRequest("session-1", []));
            await pool.ReleaseAsync(first.LeaseId, Done);
            var again = await pool.AcquireAsync(new RouteRequest("session-1", []));
            await pool.ReleaseAsync(again.LeaseId, Done);

            Assert.Equal(first.WorkerId, again.WorkerId);
            Assert.True(again.AffinityHit);

            var used = new HashSet<string>();
            for (var i = 0; i < 20; i++)
            {
                var lease = await pool.AcquireAsync(new RouteRequest($"other-{i}", []));
                used.Add(lease.WorkerId);
                await pool.ReleaseAsync(lease.LeaseId, Done);
            }

            Assert.Equal(2, used.Count);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task A_lease_carries_the_profiles_default_sampling_and_a_request_needing_a_missing_capability_is_refused()
    {
        var profile = await grid.ProfileAsync(memory: "10GB", parameters: "{ ttft_ms: \"5\", itl_ms: \"1\", tokens_per_reply: \"4\", load_ms: \"50\", temperature: 0.3, top_p: 0.85 }");
        try
        {
            await grid.ReadyWorkerAsync(profile, "node-b");
            var pool = grid.Pool(profile);

            var lease = await pool.AcquireAsync(new RouteRequest("sampling", [], null, ["text", "tools"]));
            await pool.ReleaseAsync(lease.LeaseId, Done);
            var refused = await Assert.ThrowsAsync<AgentGridException>(() => pool.AcquireAsync(new RouteRequest("embed", [], null, ["embeddings"])));

            Assert.Equal((0.3, 0.85), (lease.DefaultTemperature, lease.DefaultTopP));
            // The runtime tells the caller what the server takes (a simulator, like vLLM, takes a tenant's cache_salt).
            Assert.Equal("simulator", lease.Runtime);
            Assert.Equal((ErrorCodes.CapabilityMissing, "model"), (refused.Code, refused.Field));
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task A_session_spills_over_when_its_worker_has_no_free_slot()
    {
        var profile = await grid.ProfileAsync(memory: "10GB", concurrent: 1, queue: 1);
        try
        {
            await grid.ReadyWorkerAsync(profile, "node-b");
            await grid.ReadyWorkerAsync(profile, "node-b");
            var pool = grid.Pool(profile);

            var held = await pool.AcquireAsync(new RouteRequest("busy-session", []));
            var next = await pool.AcquireAsync(new RouteRequest("busy-session", []));

            Assert.NotEqual(held.WorkerId, next.WorkerId);
            Assert.False(next.AffinityHit);
            await pool.ReleaseAsync(held.LeaseId, Done);
            await pool.ReleaseAsync(next.LeaseId, Done);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Full_queues_refuse_with_capacity_exhausted_and_a_retry_after()
    {
        var profile = await grid.ProfileAsync(memory: "10GB", concurrent: 1, queue: 1);
        try
        {
            await grid.ReadyWorkerAsync(profile, "node-b");
            var pool = grid.Pool(profile);
            var running = await pool.AcquireAsync(new RouteRequest("a", []));
            var queued = await pool.AcquireAsync(new RouteRequest("b", []));

            var refused = await Assert.ThrowsAsync<AgentGridException>(() => pool.AcquireAsync(new RouteRequest("c", [])));

            Assert.Equal(ErrorCodes.CapacityExhausted, refused.Code);
            Assert.InRange(refused.RetryAfterSeconds!.Value, 1, 60);
            var status = await pool.GetStatusAsync();
            Assert.Equal((2L, 1L), (status.Admitted, status.Rejected));
            Assert.Equal((1, 1), (status.Workers[0].Load!.Running, status.Workers[0].Load!.Queued));

            await pool.ReleaseAsync(running.LeaseId, Done);
            var admittedAgain = await pool.AcquireAsync(new RouteRequest("c", []));
            await pool.ReleaseAsync(queued.LeaseId, Done);
            await pool.ReleaseAsync(admittedAgain.LeaseId, Done);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Requests_to_a_refusing_server_go_to_another_worker()
    {
        var profile = await grid.ProfileAsync(memory: "20GB");
        try
        {
            var sick = await grid.ReadyWorkerAsync(profile, "node-a");
            await grid.ReadyWorkerAsync(profile, "node-b");
            var sickEngine = grid.ServersOf("Silo_0").Simulator(sick.WorkerId)!.Engine;
            sickEngine.Faults = new() { Refuse = true };

            // Different prompts hash to either worker; keep asking until the sick one has been tried a few times.
            for (var i = 0; i < 200 && sickEngine.Stats().Refused < 3; i++)
            {
                var reply = await CompleteAsync(profile, $"question {i}");
                Assert.NotEmpty(reply);
            }

            Assert.True(sickEngine.Stats().Refused >= 3, "the sick worker was tried and refused");
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task A_worker_that_could_not_be_reached_is_routed_to_again_once_it_answers()
    {
        var profile = await grid.ProfileAsync(memory: "10GB");
        try
        {
            var worker = await grid.ReadyWorkerAsync(profile, "node-b");
            var engine = grid.ServersOf("Silo_1").Simulator(worker.WorkerId)!.Engine;
            engine.Faults = new() { Refuse = true };

            var refused = await Assert.ThrowsAsync<AgentGridException>(() => CompleteAsync(profile, "anyone there?"));
            Assert.Equal(ErrorCodes.ModelUnavailable, refused.Code);

            engine.Faults = new();
            await Eventually.TrueAsync(async () => (await grid.Pool(profile).GetStatusAsync()).Workers.Single().Load is { Suspect: false },
                TimeSpan.FromSeconds(30), "the health check to clear the worker");
            Assert.NotEmpty(await CompleteAsync(profile, "and now?"));
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Requests_waiting_for_a_worker_that_fails_to_load_fail_at_once_with_its_reason()
    {
        // A vLLM profile on nodes without vLLM installed: every start fails while loading.
        var profile = await grid.ProfileAsync(memory: "10GB", runtime: "vllm", scaling: "{ max_replicas: 2, cooldown_seconds: 600 }");
        var pool = grid.Pool(profile);

        var first = await Assert.ThrowsAsync<AgentGridException>(() => pool.AcquireAsync(new RouteRequest("a", [])));
        var second = await Assert.ThrowsAsync<AgentGridException>(() => pool.AcquireAsync(new RouteRequest("b", [])));

        Assert.Equal(ErrorCodes.ModelUnavailable, first.Code);
        // Callers learn that the worker failed; why (which can name hosts and servers) is for operators.
        Assert.Contains("GET /api/workers", first.Message);
        Assert.DoesNotContain("AgentGrid:Gpu:Runtimes", first.Message);
        Assert.NotNull(first.RetryAfterSeconds);
        Assert.Equal(first.Message, second.Message);
        // The second request was answered from the failure just seen, not by starting another doomed worker.
        var failed = Assert.Single((await pool.GetStatusAsync()).Workers, w => w.Worker.State == WorkerStates.Failed);
        Assert.Contains("AgentGrid:Gpu:Runtimes:vllm:Command", failed.Worker.Reason);
        Assert.DoesNotContain(await grid.Scheduler.ListReservationsAsync(), r => r.Model == profile.Name);
    }

    [Fact]
    public async Task Workers_of_a_lost_node_free_their_vram_and_are_replaced_elsewhere()
    {
        var silo = await grid.Cluster.StartAdditionalSiloAsync();
        var node = grid.NodeOf(silo);
        await Eventually.TrueAsync(async () => (await grid.Scheduler.ListNodesAsync()).Any(n => n.NodeId == node), TimeSpan.FromSeconds(30), $"{node} to report");
        // min_replicas 0 (a minimum would start a worker again once the test stops its replacement): demand replaces it.
        var profile = await grid.ProfileAsync(memory: "30GB", scaling: "{ max_replicas: 1, cooldown_seconds: 600 }");
        try
        {
            var doomed = await grid.ReadyWorkerAsync(profile, node);

            await grid.Cluster.KillSiloAsync(silo);

            Assert.NotEmpty(await CompleteAsync(profile, "anyone there?"));
            Assert.Contains((await grid.Pool(profile).GetStatusAsync()).Workers, w => w.Worker.State == WorkerStates.Ready && w.Worker.NodeId == "node-b");
            var reservations = await grid.Scheduler.ListReservationsAsync();
            Assert.DoesNotContain(reservations, r => r.WorkerId == doomed.WorkerId);
            var lost = (await grid.Pool(profile).GetStatusAsync()).Workers.Single(w => w.Worker.WorkerId == doomed.WorkerId);
            Assert.Equal(WorkerStates.Failed, lost.Worker.State);
            Assert.Contains($"{node} was lost", lost.Worker.Reason);
            Assert.Equal(GpuNodeStatus.Lost, (await grid.Scheduler.ListNodesAsync()).Single(n => n.NodeId == node).Status);
        }
        finally
        {
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Autoscaler_adds_a_worker_under_load_removes_it_after_the_cool_down_and_scales_to_zero_when_idle()
    {
        var profile = await grid.ProfileAsync(memory: "10GB",
            scaling: "{ min_replicas: 0, max_replicas: 2, target_in_flight_per_replica: 1, cooldown_seconds: 1, scale_to_zero_after_seconds: 3 }");
        var events = new ConcurrentQueue<WorkerEvent>();
        var stream = grid.Cluster.Client.GetStreamProvider(GridNames.StreamProvider)
            .GetStream<WorkerEvent>(StreamId.Create(GridNames.WorkersStreamNamespace, GridNames.ClusterStreamKey));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            if (e.Model == profile.Name && e.Type == WorkerEventTypes.Scale)
            {
                events.Enqueue(e);
            }

            return Task.CompletedTask;
        });
        var pool = grid.Pool(profile);
        try
        {
            // No worker yet: the first request starts one and waits for it.
            var first = await pool.AcquireAsync(new RouteRequest("a", []));
            var second = await pool.AcquireAsync(new RouteRequest("b", []));
            await Eventually.TrueAsync(async () => (await pool.GetStatusAsync()).ReadyReplicas == 2, TimeSpan.FromSeconds(30), "a second worker under load");

            await pool.ReleaseAsync(first.LeaseId, Done);
            await pool.ReleaseAsync(second.LeaseId, Done);
            await Eventually.TrueAsync(async () => (await pool.GetStatusAsync()).Workers.Count(w => !WorkerStates.IsFinal(w.Worker.State)) == 0,
                TimeSpan.FromSeconds(30), "the pool to scale down and then to zero");
            await Eventually.TrueAsync(() => events.Count >= 4, TimeSpan.FromSeconds(10), "the four scaling events");

            var decisions = events.ToList();
            Assert.Equal([1, 2, 1, 0], decisions.Select(e => e.DesiredReplicas!.Value));
            Assert.Contains("idle", decisions[3].Reason);
            for (var i = 2; i < decisions.Count; i++)
            {
                // Never two changes inside one cool-down.
                Assert.True(decisions[i].At - decisions[i - 1].At >= TimeSpan.FromSeconds(0.9), $"decisions {i - 1} and {i} were {decisions[i].At - decisions[i - 1].At} apart");
            }
        }
        finally
        {
            await subscription.UnsubscribeAsync();
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task A_node_shutting_down_finishes_its_replies_then_frees_its_workers_which_are_replaced_elsewhere()
    {
        var silo = await grid.Cluster.StartAdditionalSiloAsync();
        var node = grid.NodeOf(silo);
        await Eventually.TrueAsync(async () => (await grid.Scheduler.ListNodesAsync()).Any(n => n.NodeId == node && n.Status == GpuNodeStatus.Online),
            TimeSpan.FromSeconds(30), $"{node} to report");
        // Replies of 40 tokens 100 ms apart: about 4 s each, so the shutdown starts while they stream.
        var profile = await grid.ProfileAsync(memory: "30GB", concurrent: 4, scaling: "{ max_replicas: 1, cooldown_seconds: 600 }",
            parameters: "{ ttft_ms: \"5\", itl_ms: \"100\", tokens_per_reply: \"40\", load_ms: \"50\" }");
        var states = new ConcurrentQueue<WorkerEvent>();
        var subscription = await grid.Cluster.Client.GetStreamProvider(GridNames.StreamProvider)
            .GetStream<WorkerEvent>(StreamId.Create(GridNames.WorkersStreamNamespace, GridNames.ClusterStreamKey))
            .SubscribeAsync((e, _) =>
            {
                if (e.Model == profile.Name && e.Type == WorkerEventTypes.WorkerState)
                {
                    states.Enqueue(e);
                }

                return Task.CompletedTask;
            });
        try
        {
            var leaving = await grid.ReadyWorkerAsync(profile, node);
            var streaming = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
            var replies = streaming.Select((first, i) => StreamAsync(profile, $"question {i}", first)).ToList();
            await Task.WhenAll(streaming.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(30));

            var stopping = grid.Cluster.StopSiloAsync(silo);

            // At once: nothing new lands on the node, and its worker takes no new request.
            await Eventually.TrueAsync(async () => (await grid.Scheduler.ListNodesAsync()).Single(n => n.NodeId == node).Status == GpuNodeStatus.Draining,
                TimeSpan.FromSeconds(10), $"{node} to be draining");
            await Eventually.TrueAsync(() => states.Any(e => e.WorkerId == leaving.WorkerId && e.State == WorkerStates.Draining),
                TimeSpan.FromSeconds(10), $"{leaving.WorkerId} to be draining");
            var placeOnLeaving = await Assert.ThrowsAsync<AgentGridException>(() => grid.Scheduler.ReserveAsync(null, profile, node));
            Assert.Equal(ErrorCodes.NodeUnavailable, placeOnLeaving.Code);
            Assert.Contains("shutting down", placeOnLeaving.Message);

            // The replies that were streaming finish whole. Stopping the worker stops its model server, which would
            // have cut them short: so the worker stopped only after they were done.
            foreach (var reply in replies)
            {
                var (chunks, finish, _) = await reply.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(40, chunks);
                Assert.Equal("stop", finish);
            }

            await stopping.WaitAsync(TimeSpan.FromSeconds(60));
            // Stopped by the drain (not found lost later), as the workers stream tells.
            await Eventually.TrueAsync(() => states.Any(e => e.WorkerId == leaving.WorkerId && e.State == WorkerStates.Stopped),
                TimeSpan.FromSeconds(30), $"the event that {leaving.WorkerId} stopped");
            var stoppedEvent = states.First(e => e.WorkerId == leaving.WorkerId && e.State == WorkerStates.Stopped);
            Assert.Contains($"node {node} is shutting down", stoppedEvent.Reason);
            Assert.DoesNotContain(states, e => e.WorkerId == leaving.WorkerId && e.State == WorkerStates.Failed);
            Assert.DoesNotContain(await grid.Scheduler.ListReservationsAsync(), r => r.WorkerId == leaving.WorkerId);
            // The next request starts a worker on the capacity that is left.
            Assert.NotEmpty(await CompleteAsync(profile, "still there?"));
            Assert.Contains((await grid.Pool(profile).GetStatusAsync()).Workers, w => w.Worker.State == WorkerStates.Ready && w.Worker.NodeId == "node-b");
        }
        finally
        {
            await subscription.UnsubscribeAsync();
            await grid.StopAllAsync(profile);
        }
    }

    [Fact]
    public async Task Hot_swap_loses_no_request()
    {
        var from = await grid.ProfileAsync(memory: "10GB", parameters: "{ ttft_ms: \"20\", itl_ms: \"5\", tokens_per_reply: \"8\", load_ms: \"300\" }");
        var to = await grid.ProfileAsync(memory: "12GB");
        try
        {
            var swapped = await grid.ReadyWorkerAsync(from, "node-b");
            await grid.ReadyWorkerAsync(from, "node-b");
            using var stop = new CancellationTokenSource();
            var failures = new ConcurrentQueue<Exception>();
            var completed = 0;
            var load = Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        await CompleteAsync(from, $"client {client} request {i}");
                        Interlocked.Increment(ref completed);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                }
            })).ToList();
            await Eventually.TrueAsync(() => Volatile.Read(ref completed) >= 8, TimeSpan.FromSeconds(30), "traffic to flow");

            await grid.Pool(from).SwapWorkerAsync(swapped.WorkerId, to.Name);
            await Eventually.TrueAsync(async () => await grid.Grains.GetGrain<IInferenceWorkerGrain>(swapped.WorkerId).GetAsync() is { State: WorkerStates.Ready } w && w.Model == to.Name,
                TimeSpan.FromSeconds(30), "the worker to serve the new profile");
            var afterSwap = Volatile.Read(ref completed);
            await Eventually.TrueAsync(() => Volatile.Read(ref completed) >= afterSwap + 8, TimeSpan.FromSeconds(30), "traffic to keep flowing");
            stop.Cancel();
            await Task.WhenAll(load);

            Assert.True(failures.IsEmpty, string.Join("\n", failures.Select(f => f.GetType().Name + ": " + f.Message)));
            Assert.Single((await grid.Pool(to).GetStatusAsync()).Workers, w => w.Worker.WorkerId == swapped.WorkerId);
            Assert.DoesNotContain((await grid.Pool(from).GetStatusAsync()).Workers, w => w.Worker.WorkerId == swapped.WorkerId);
            Assert.NotEmpty(await CompleteAsync(to, "hello new model"));
        }
        finally
        {
            await grid.StopAllAsync(from, to);
        }
    }

    /// <summary>Streams one reply; <paramref name="firstToken"/> completes at its first token.</summary>
    private async Task<(int Chunks, string? Finish, string Text)> StreamAsync(ModelProfile profile, string question, TaskCompletionSource? firstToken = null)
    {
        var (chunks, finish, text) = (0, (string?)null, new System.Text.StringBuilder());
        var request = new CompletionRequest { Model = profile.Name, Messages = [new PromptMessage("user", question)], Caller = AgentGrid.Contracts.Identity.Caller.System("tests") };
        await foreach (var chunk in grid.Grains.GetGrain<IChatCompletionGrain>(Guid.NewGuid()).StreamAsync(request))
        {
            if (!string.IsNullOrEmpty(chunk.Delta))
            {
                chunks++;
                text.Append(chunk.Delta);
                firstToken?.TrySetResult();
            }

            finish = chunk.FinishReason ?? finish;
        }

        return (chunks, finish, text.ToString());
    }

    private async Task<string> CompleteAsync(ModelProfile profile, string question) => (await StreamAsync(profile, question)).Text;
}
