using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>The pool's management: starting, draining, stopping and swapping workers, and the autoscaler's tick.</summary>
public sealed partial class WorkerPoolGrain
{
    public async Task<WorkerInfo> StartWorkerAsync(string? nodeId, string reason)
    {
        var profile = RequireProfile();
        if (_roster.Active >= profile.Scaling.MaxReplicas)
        {
            throw AgentGridException.Validation("model",
                $"Model '{Model}' already has {_roster.Active} of its scaling.max_replicas ({profile.Scaling.MaxReplicas}) workers; raise max_replicas in its profile.");
        }

        return await StartOneAsync(profile, nodeId, reason);
    }

    public async Task<WorkerInfo> StopWorkerAsync(string workerId)
    {
        var worker = _roster.Require(workerId);
        await BeginDrainAsync(worker, DrainPlan.Stop, "stop requested");
        return worker.Info;
    }

    public async Task RetireWorkerAsync(string workerId, bool release, string reason)
    {
        if (!_roster.TryGet(workerId, out var worker))
        {
            if (release)
            {
                await GrainFactory.GetGrain<IInferenceWorkerGrain>(workerId).StopAsync(reason);
            }

            return;
        }

        var plan = release ? DrainPlan.Stop : DrainPlan.Hold;
        if (worker.AfterDrain is not null && worker.AfterDrain != DrainPlan.Stop)
        {
            // A swap would load the next model on the node that is going away.
            worker.AfterDrain = plan;
        }

        logger.LogInformation("Pool {Model} drains worker {WorkerId} ({InFlight} requests in flight): {Reason}", Model, workerId, worker.InFlight, reason);
        await BeginDrainAsync(worker, plan, reason);
    }

    public Task WaitDrainedAsync(string workerId) =>
        _roster.TryGet(workerId, out var worker) && worker.AfterDrain is not null ? worker.Drained.Task : Task.CompletedTask;

    public async Task<WorkerInfo> SwapWorkerAsync(string workerId, string profile)
    {
        var worker = _roster.Require(workerId);
        var target = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).GetAsync(profile)
            ?? throw new AgentGridException(ErrorCodes.ProfileNotFound, $"Profile '{profile}' does not exist.", "profile");
        if (target.Name == Model)
        {
            throw AgentGridException.Validation("profile", $"Worker '{workerId}' already serves '{profile}'.");
        }

        if (worker.Info.State != WorkerStates.Ready || worker.AfterDrain is not null)
        {
            throw new AgentGridException(ErrorCodes.WorkerStateConflict, $"Worker '{workerId}' is {worker.Info.State}; only a ready worker can be swapped.");
        }

        // Refuse now (409) rather than after the drain when the new profile cannot fit in the worker's place.
        await GrainFactory.GetGrain<IGpuSchedulerGrain>(0).CheckFitAsync(workerId, target, worker.Info.NodeId);
        await BeginDrainAsync(worker, DrainPlan.SwapTo(target), $"swapping to {target.Name}");
        return worker.Info;
    }

    public async Task EnsureRunningAsync()
    {
        if (_profile is null)
        {
            DeactivateOnIdle();
            return;
        }

        await TickAsync(CancellationToken.None);
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var profile = _profile!;
        var now = clock.GetUtcNow();
        foreach (var lease in _roster.ExpiredLeases(now, options.Value.LeaseTimeout))
        {
            await ReleaseAsync(lease, new LeaseOutcome(false, false, null, null));
        }

        foreach (var worker in _roster.Workers.Where(w => w.AfterDrain is not null && (w.InFlight == 0 || now - w.DrainingSince > options.Value.DrainTimeout)).ToList())
        {
            await FinishDrainAsync(worker);
        }

        await ForgetLostWorkersAsync(now);
        foreach (var worker in _roster.Workers.Where(w => w.Suspect))
        {
            // Ask again each tick: a check that passes clears the suspicion.
            GrainFactory.GetGrain<IInferenceWorkerGrain>(worker.Info.WorkerId).CheckHealthAsync().Ignore();
        }

        var observation = _signals.Observe(_roster.Active, _roster.Ready, _roster.Workers.Where(w => w.AfterDrain is null).Sum(w => w.InFlight), _ready.Waiting, now);
        // A pin is a scaling range of one: the autoscaler's own logic then adds or drains one worker a tick until it holds.
        var scaling = _pinned is { } pinned ? profile.Scaling with { MinReplicas = pinned, MaxReplicas = pinned, CooldownSeconds = 0 } : profile.Scaling;
        var decision = Autoscaler.Decide(scaling, observation);
        _signals.LowSince = decision.LowSince;
        _signals.LastDesired = decision.Desired;
        if (decision.Change > 0)
        {
            await ScaleUpAsync(profile, decision);
        }
        else if (decision.Change < 0)
        {
            await ScaleDownAsync(decision);
        }
    }

    /// <summary>
    /// Workers whose node was lost (its silo stopped reporting) or that never reported since the pool came back:
    /// their VRAM is freed and they no longer count, so the autoscaler replaces them on the capacity that is left.
    /// </summary>
    private async Task ForgetLostWorkersAsync(DateTimeOffset now)
    {
        if (!_roster.Workers.Any())
        {
            // Nothing to forget: an idle pool asks the scheduler nothing.
            return;
        }

        var scheduler = GrainFactory.GetGrain<IGpuSchedulerGrain>(0);
        var lost = (await scheduler.ListNodesAsync()).Where(n => n.Status == GpuNodeStatus.Lost).Select(n => n.NodeId).ToHashSet();
        var silent = now - _activatedAt > TimeSpan.FromSeconds(30);
        foreach (var worker in _roster.Workers.Where(w => lost.Contains(w.Info.NodeId) || (silent && w.Info.StateSince == DateTimeOffset.MinValue)).ToList())
        {
            var reason = lost.Contains(worker.Info.NodeId) ? $"its node {worker.Info.NodeId} was lost" : "it never reported after the pool was activated";
            _roster.Remove(worker.Info.WorkerId, out _);
            worker.Drained.TrySetResult();
            await scheduler.ReleaseAsync(worker.Info.WorkerId);
            var info = worker.Info with { State = WorkerStates.Failed, Reason = reason, StateSince = now };
            _roster.Remember(info);
            await DecidedAsync(WorkerEventTypes.WorkerState, $"worker {info.WorkerId} is failed: {reason}", _signals.LastDesired, info.WorkerId, WorkerStates.Failed);
        }
    }

    private async Task ScaleUpAsync(ModelProfile profile, Autoscaler.Decision decision)
    {
        var from = _roster.Active;
        _signals.LastScaleAt = clock.GetUtcNow();
        try
        {
            for (var i = 0; i < decision.Change; i++)
            {
                await StartOneAsync(profile, null, $"autoscaler: {decision.Reason}");
            }

            _signals.LastBlocked = null;
            await DecidedAsync(WorkerEventTypes.Scale, $"{from} → {_roster.Active}: {decision.Reason}", decision.Desired);
        }
        catch (AgentGridException e) when (e.Code is ErrorCodes.InsufficientGpuCapacity or ErrorCodes.NodeUnavailable or ErrorCodes.NodeNotFound)
        {
            if (_roster.Active == 0)
            {
                // Requests waiting for a cold start fail now with the reason, rather than at their timeout.
                _ready.Fail(e);
            }

            if (_signals.LastBlocked != e.Message)
            {
                _signals.LastBlocked = e.Message;
                await DecidedAsync(WorkerEventTypes.ScaleBlocked, $"wanted {decision.Desired} replicas ({decision.Reason}), have {_roster.Active}: {e.Message}", decision.Desired);
            }
        }
    }

    private async Task ScaleDownAsync(Autoscaler.Decision decision)
    {
        // The least useful replica goes: one still loading, else the least loaded ready one.
        var victim = _roster.Workers.Where(w => w.AfterDrain is null && !WorkerStates.IsFinal(w.Info.State))
            .OrderBy(w => w.Info.State == WorkerStates.Ready ? 1 : 0).ThenBy(w => w.InFlight).ThenByDescending(w => w.Info.WorkerId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (victim is null)
        {
            return;
        }

        var from = _roster.Active;
        _signals.LastScaleAt = clock.GetUtcNow();
        _signals.LowSince = null;
        await BeginDrainAsync(victim, DrainPlan.Stop, $"autoscaler: {decision.Reason}");
        await DecidedAsync(WorkerEventTypes.Scale, $"{from} → {from - 1}: {decision.Reason}; draining {victim.Info.WorkerId}", decision.Desired);
    }

    private async Task<WorkerInfo> StartOneAsync(ModelProfile profile, string? nodeId, string reason)
    {
        var scheduler = GrainFactory.GetGrain<IGpuSchedulerGrain>(0);
        var reservation = await scheduler.ReserveAsync(null, profile, nodeId);
        WorkerInfo info;
        try
        {
            info = await GrainFactory.GetGrain<IInferenceWorkerGrain>(reservation.WorkerId).StartAsync(profile, reservation);
        }
        catch
        {
            await scheduler.ReleaseAsync(reservation.WorkerId);
            throw;
        }

        _roster.Add(info);
        _signals.LastScaleAt = clock.GetUtcNow();
        _ready.Started();
        logger.LogInformation("Pool {Model} started worker {WorkerId} on {NodeId}: {Reason}", Model, info.WorkerId, info.NodeId, reason);
        return info;
    }

    private void StartFromZero()
    {
        if (_signals.ColdStartPending || _profile is null)
        {
            return;
        }

        // The autoscaler's tick sees the waiting request with nothing serving and starts a worker at once.
        _signals.ColdStartPending = true;
        this.AsReference<IWorkerPoolGrain>().EnsureRunningAsync().Ignore();
    }

    private async Task BeginDrainAsync(PoolWorker worker, DrainPlan plan, string reason)
    {
        if (worker.AfterDrain is not null)
        {
            return;
        }

        worker.AfterDrain = plan;
        worker.DrainingSince = clock.GetUtcNow();
        worker.Drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        worker.Info = await GrainFactory.GetGrain<IInferenceWorkerGrain>(worker.Info.WorkerId).DrainAsync(reason);
        if (worker.InFlight == 0)
        {
            await FinishDrainAsync(worker);
        }
    }

    private async Task FinishDrainAsync(PoolWorker worker)
    {
        if (worker.Finishing)
        {
            return;
        }

        worker.Finishing = true;
        var grain = GrainFactory.GetGrain<IInferenceWorkerGrain>(worker.Info.WorkerId);
        try
        {
            // Hold: nothing to do; its node shuts down with it still draining, and it loads again when the node comes back.
            if (worker.AfterDrain == DrainPlan.Stop)
            {
                await grain.StopAsync(worker.Info.Reason is { Length: > 0 } why ? $"drained and stopped ({why})" : "drained and stopped");
            }
            else if (worker.AfterDrain is DrainPlan.SwapPlan swap)
            {
                // Sent once: the worker reports the new model and leaves this pool.
                worker.AfterDrain = DrainPlan.Swapped;
                await grain.SwapAsync(swap.Profile);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Pool {Model} could not finish draining worker {WorkerId}", Model, worker.Info.WorkerId);
            worker.AfterDrain = null;
        }
        finally
        {
            worker.Finishing = false;
            worker.Drained.TrySetResult();
        }
    }

    private async Task DecidedAsync(string type, string reason, int desired, string? workerId = null, string? state = null)
    {
        if (workerId is null)
        {
            _signals.LastDecision = reason;
        }

        logger.LogInformation("Pool {Model} {Type}: {Reason}", Model, type, reason);
        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<WorkerEvent>(StreamId.Create(GridNames.WorkersStreamNamespace, GridNames.ClusterStreamKey))
                .OnNextAsync(new WorkerEvent
                {
                    Type = type, Model = Model, WorkerId = workerId, State = state, Reason = reason, CurrentReplicas = _roster.Active, DesiredReplicas = desired,
                    At = clock.GetUtcNow(),
                });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Pool {Model} could not publish a scaling event", Model);
        }
    }
}
