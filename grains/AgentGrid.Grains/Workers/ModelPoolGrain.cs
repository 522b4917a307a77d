using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentGrid.Grains.Workers;

/// <summary>
/// The workers of one model. Acquire/release run interleaved and only touch memory: routing by the profile's
/// policy, admission against each worker's concurrency plus queue (429 when all are full, never an unbounded
/// queue). Management calls and the autoscaler tick are serialised. Nothing is stored here: the scheduler's
/// reservations say which workers exist, so an activation rebuilds its view from them.
/// </summary>
public sealed class ModelPoolGrain(IOptions<PoolOptions> options, TimeProvider clock, ILogger<ModelPoolGrain> logger) : Grain, IModelPoolGrain
{
    private const string Stop = "stop";
    private const string Hold = "hold";
    private static readonly TimeSpan ColdStartBackoff = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, PoolWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string WorkerId, DateTimeOffset At)> _leases = [];
    private readonly Queue<WorkerInfo> _recent = new();
    private readonly List<double> _ttftWindow = [];
    private readonly Dictionary<string, ModelProfile> _swapTargets = new(StringComparer.Ordinal);
    private ModelProfile? _profile;
    private IRoutingPolicy _policy = new LeastLoadedAffinityPolicy();
    private TaskCompletionSource _readySignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentGridException? _coldStartFailure;
    private bool _coldStartPending;
    private long _nextLease, _admitted, _rejected, _affinityHits;
    private int _waiting, _rejectedSinceTick;
    private DateTimeOffset _lastRequestAt, _lastScaleAt = DateTimeOffset.MinValue, _activatedAt, _coldStartFailureAt;
    private DateTimeOffset? _lowSince;
    private DateTimeOffset _lastStartFailureAt = DateTimeOffset.MinValue;
    private string? _lastDecision, _lastBlocked;

    private string Model => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastRequestAt = clock.GetUtcNow();
        _profile = await GrainFactory.GetGrain<IModelRegistryGrain>(0).GetAsync(Model);
        if (_profile is null)
        {
            return;
        }

        _policy = IRoutingPolicy.For(_profile.Scaling.Routing);
        // The scheduler's reservations say which workers exist. They report back on their own (one-way): a worker may be
        // calling this pool right now, and waiting for it here would deadlock.
        // Until a worker reports, it counts as loading, so the autoscaler does not start duplicates meanwhile.
        _activatedAt = clock.GetUtcNow();
        foreach (var reservation in await GrainFactory.GetGrain<IGpuSchedulerGrain>(0).ListReservationsAsync())
        {
            if (reservation.Model == Model)
            {
                _workers.TryAdd(reservation.WorkerId, new PoolWorker(new WorkerInfo
                {
                    WorkerId = reservation.WorkerId,
                    Model = Model,
                    NodeId = reservation.NodeId,
                    GpuIndexes = reservation.GpuIndexes,
                    ReservedMiBPerGpu = reservation.MiBPerGpu,
                    State = WorkerStates.Loading,
                    Reason = "not reported since the pool was activated",
                    StateSince = DateTimeOffset.MinValue,
                }));
                GrainFactory.GetGrain<IInferenceWorkerGrain>(reservation.WorkerId).AnnounceAsync().Ignore();
            }
        }

        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(options.Value.AutoscaleInterval, options.Value.AutoscaleInterval) { KeepAlive = true });
    }

    public async Task<WorkerLease> AcquireAsync(RouteRequest request)
    {
        var profile = RequireProfile();
        _lastRequestAt = clock.GetUtcNow();
        var deadline = _lastRequestAt + options.Value.ReadyWaitTimeout;
        while (true)
        {
            var routable = _workers.Values.Where(w => w.Routable).ToList();
            var candidates = routable.Where(w => !request.ExcludeWorkers.Contains(w.Info.WorkerId))
                .Select(w => new RoutingCandidate(w.Info.WorkerId, w.InFlight, profile.Performance.MaxConcurrentRequests, profile.Performance.MaxQueue))
                .ToList();
            if (candidates.Count > 0)
            {
                return _policy.Choose(request.AffinityKey, request.PrefixKey, candidates) is { } choice ? Lease(choice) : Refuse(profile);
            }

            if (routable.Count > 0)
            {
                throw AgentGridException.ModelUnavailable(Model, "no other ready worker answers");
            }

            if (!_workers.Values.Any(w => w.Info.State is WorkerStates.Placing or WorkerStates.Loading))
            {
                // A start that just failed is not retried by every request: callers get its reason until it is stale.
                if (_coldStartFailure is { } failure && clock.GetUtcNow() - _coldStartFailureAt < ColdStartBackoff)
                {
                    throw failure;
                }

                StartFromZero();
            }

            var remaining = deadline - clock.GetUtcNow();
            var signal = _readySignal.Task;
            _waiting++;
            try
            {
                await signal.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new AgentGridException(ErrorCodes.NoReadyWorker,
                    $"No worker of '{Model}' became ready within {options.Value.ReadyWaitTimeout.TotalSeconds:0} s.") { RetryAfterSeconds = 5 };
            }
            finally
            {
                _waiting--;
            }
        }
    }

    public Task ReleaseAsync(long leaseId, LeaseOutcome outcome)
    {
        if (!_leases.Remove(leaseId, out var lease) || !_workers.TryGetValue(lease.WorkerId, out var worker))
        {
            return Task.CompletedTask;
        }

        worker.InFlight--;
        worker.Served++;
        worker.Record(outcome, (clock.GetUtcNow() - lease.At).TotalMilliseconds);
        if (outcome.TtftMs is { } ttft)
        {
            _ttftWindow.Add(ttft);
        }

        if (outcome.Unreachable && worker.Info.State == WorkerStates.Ready && !worker.Suspect)
        {
            logger.LogWarning("Pool {Model}: worker {WorkerId} did not answer; routing around it until its health check", Model, lease.WorkerId);
            worker.Suspect = true;
            GrainFactory.GetGrain<IInferenceWorkerGrain>(lease.WorkerId).CheckHealthAsync().Ignore();
        }

        if (worker.AfterDrain is not null && worker.InFlight == 0)
        {
            FinishDrainAsync(worker).Ignore();
        }

        return Task.CompletedTask;
    }

    public async Task<WorkerInfo> StartWorkerAsync(string? nodeId, string reason)
    {
        var profile = RequireProfile();
        if (Active() >= profile.Scaling.MaxReplicas)
        {
            throw AgentGridException.Validation("model",
                $"Model '{Model}' already has {Active()} of its scaling.max_replicas ({profile.Scaling.MaxReplicas}) workers; raise max_replicas in its profile.");
        }

        return await StartOneAsync(profile, nodeId, reason);
    }

    public async Task<WorkerInfo> StopWorkerAsync(string workerId)
    {
        var worker = Worker(workerId);
        await BeginDrainAsync(worker, Stop, "stop requested");
        return worker.Info;
    }

    public async Task RetireWorkerAsync(string workerId, bool release, string reason)
    {
        if (!_workers.TryGetValue(workerId, out var worker))
        {
            if (release)
            {
                await GrainFactory.GetGrain<IInferenceWorkerGrain>(workerId).StopAsync(reason);
            }

            return;
        }

        if (worker.AfterDrain is not null and not Stop)
        {
            // A swap would load the next model on the node that is going away.
            _swapTargets.Remove(workerId);
            worker.AfterDrain = release ? Stop : Hold;
        }

        logger.LogInformation("Pool {Model} drains worker {WorkerId} ({InFlight} requests in flight): {Reason}", Model, workerId, worker.InFlight, reason);
        await BeginDrainAsync(worker, release ? Stop : Hold, reason);
    }

    public Task WaitDrainedAsync(string workerId) =>
        _workers.TryGetValue(workerId, out var worker) && worker.AfterDrain is not null ? worker.Drained.Task : Task.CompletedTask;

    public async Task<WorkerInfo> SwapWorkerAsync(string workerId, string profile)
    {
        var worker = Worker(workerId);
        var target = await GrainFactory.GetGrain<IModelRegistryGrain>(0).GetAsync(profile)
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

        _swapTargets[workerId] = target;
        await BeginDrainAsync(worker, target.Name, $"swapping to {target.Name}");
        return worker.Info;
    }

    public Task WorkerChangedAsync(WorkerInfo info)
    {
        if (info.Model == Model && info.State == WorkerStates.Failed && _waiting > 0
            && !_workers.Values.Any(w => w.Info.WorkerId != info.WorkerId && !WorkerStates.IsFinal(w.Info.State)))
        {
            // The worker that waiting requests count on failed: they fail now. Its reason (which can name hosts and
            // servers) is for operators: GET /api/workers and the log.
            FailWaiters(AgentGridException.ModelUnavailable(Model, "its worker failed; an operator can see why in GET /api/workers"));
        }

        if (_workers.TryGetValue(info.WorkerId, out var known) && known.Info.StateSince > info.StateSince)
        {
            // An older report overtaken by a newer one.
            return Task.CompletedTask;
        }

        if (info.State == WorkerStates.Failed && known?.Info.State is WorkerStates.Placing or WorkerStates.Loading)
        {
            _lastStartFailureAt = clock.GetUtcNow();
        }

        if (known?.AfterDrain == Hold && info.State is WorkerStates.Loading or WorkerStates.Ready)
        {
            // Held while its node shut down; the node is back and the worker loads again: route to it again.
            known.AfterDrain = null;
        }

        if (info.Model != Model || WorkerStates.IsFinal(info.State))
        {
            if (_workers.Remove(info.WorkerId, out var gone))
            {
                gone.Drained.TrySetResult();
                if (WorkerStates.IsFinal(info.State))
                {
                    Remember(info);
                }
            }

            return Task.CompletedTask;
        }

        if (!_workers.TryGetValue(info.WorkerId, out var worker))
        {
            _workers[info.WorkerId] = worker = new PoolWorker(info);
        }

        worker.Info = info;
        if (info.State == WorkerStates.Ready)
        {
            worker.Suspect = false;

            var signal = _readySignal;
            _readySignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task<PoolStatus> GetStatusAsync()
    {
        var max = _profile?.Performance.MaxConcurrentRequests ?? 1;
        return Task.FromResult(new PoolStatus
        {
            Model = Model,
            Routing = _profile?.Scaling.Routing ?? RoutingPolicies.LeastLoaded,
            DesiredReplicas = _lastDesired,
            ReadyReplicas = _workers.Values.Count(w => w.Info.State == WorkerStates.Ready),
            Workers = [.. _workers.Values.OrderBy(w => w.Info.WorkerId, StringComparer.Ordinal).Select(w => new WorkerView(w.Info, w.Load(max)))
                .Concat(_recent.Select(r => new WorkerView(r, null)))],
            Admitted = _admitted,
            Rejected = _rejected,
            AffinityHits = _affinityHits,
            LastDecision = _lastDecision,
        });
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

    private int _lastDesired;

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var profile = _profile!;
        var now = clock.GetUtcNow();
        foreach (var (id, lease) in _leases.Where(l => now - l.Value.At > options.Value.LeaseTimeout).ToList())
        {
            await ReleaseAsync(id, new LeaseOutcome(false, false, null, null));
        }

        foreach (var worker in _workers.Values.Where(w => w.AfterDrain is not null && (w.InFlight == 0 || now - w.DrainingSince > options.Value.DrainTimeout)).ToList())
        {
            await FinishDrainAsync(worker);
        }

        await ForgetLostWorkersAsync(now);
        foreach (var worker in _workers.Values.Where(w => w.Suspect))
        {
            // Ask again each tick: a check that passes clears the suspicion.
            GrainFactory.GetGrain<IInferenceWorkerGrain>(worker.Info.WorkerId).CheckHealthAsync().Ignore();
        }

        var observation = new Autoscaler.Observation(
            Active(), _workers.Values.Count(w => w.Info.State == WorkerStates.Ready),
            _workers.Values.Where(w => w.AfterDrain is null).Sum(w => w.InFlight), _waiting, _rejectedSinceTick,
            _ttftWindow.Count > 0 ? _ttftWindow.Average() : null, _lastRequestAt, _lastScaleAt, _lowSince, now)
        {
            LastStartFailureAt = _lastStartFailureAt,
        };
        _rejectedSinceTick = 0;
        _ttftWindow.Clear();
        _coldStartPending = false;
        var decision = Autoscaler.Decide(profile.Scaling, observation);
        _lowSince = decision.LowSince;
        _lastDesired = decision.Desired;
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
        var scheduler = GrainFactory.GetGrain<IGpuSchedulerGrain>(0);
        var lost = (await scheduler.ListNodesAsync()).Where(n => n.Status == GpuNodeStatus.Lost).Select(n => n.NodeId).ToHashSet();
        var silent = now - _activatedAt > TimeSpan.FromSeconds(30);
        foreach (var worker in _workers.Values.Where(w => lost.Contains(w.Info.NodeId) || (silent && w.Info.StateSince == DateTimeOffset.MinValue)).ToList())
        {
            var reason = lost.Contains(worker.Info.NodeId) ? $"its node {worker.Info.NodeId} was lost" : "it never reported after the pool was activated";
            _workers.Remove(worker.Info.WorkerId);
            worker.Drained.TrySetResult();
            await scheduler.ReleaseAsync(worker.Info.WorkerId);
            var info = worker.Info with { State = WorkerStates.Failed, Reason = reason, StateSince = now };
            Remember(info);
            await DecidedAsync(WorkerEventTypes.WorkerState, $"worker {info.WorkerId} is failed: {reason}", _lastDesired, info.WorkerId, WorkerStates.Failed);
        }
    }

    private async Task ScaleUpAsync(ModelProfile profile, Autoscaler.Decision decision)
    {
        var from = Active();
        _lastScaleAt = clock.GetUtcNow();
        try
        {
            for (var i = 0; i < decision.Change; i++)
            {
                await StartOneAsync(profile, null, $"autoscaler: {decision.Reason}");
            }

            _lastBlocked = null;
            await DecidedAsync(WorkerEventTypes.Scale, $"{from} → {Active()}: {decision.Reason}", decision.Desired);
        }
        catch (AgentGridException e) when (e.Code is ErrorCodes.InsufficientGpuCapacity or ErrorCodes.NodeUnavailable or ErrorCodes.NodeNotFound)
        {
            if (Active() == 0)
            {
                // Requests waiting for a cold start fail now with the reason, rather than at their timeout.
                FailWaiters(e);
            }

            if (_lastBlocked != e.Message)
            {
                _lastBlocked = e.Message;
                await DecidedAsync(WorkerEventTypes.ScaleBlocked, $"wanted {decision.Desired} replicas ({decision.Reason}), have {Active()}: {e.Message}", decision.Desired);
            }
        }
    }

    private async Task ScaleDownAsync(Autoscaler.Decision decision)
    {
        // The least useful replica goes: one still loading, else the least loaded ready one.
        var victim = _workers.Values.Where(w => w.AfterDrain is null && !WorkerStates.IsFinal(w.Info.State))
            .OrderBy(w => w.Info.State == WorkerStates.Ready ? 1 : 0).ThenBy(w => w.InFlight).ThenByDescending(w => w.Info.WorkerId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (victim is null)
        {
            return;
        }

        var from = Active();
        _lastScaleAt = clock.GetUtcNow();
        _lowSince = null;
        await BeginDrainAsync(victim, Stop, $"autoscaler: {decision.Reason}");
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

        _workers.TryAdd(info.WorkerId, new PoolWorker(info));
        _lastScaleAt = clock.GetUtcNow();
        _coldStartFailure = null;
        logger.LogInformation("Pool {Model} started worker {WorkerId} on {NodeId}: {Reason}", Model, info.WorkerId, info.NodeId, reason);
        return info;
    }

    private void FailWaiters(AgentGridException reason)
    {
        _coldStartFailure = new AgentGridException(reason.Code, reason.Message, reason.Field) { RetryAfterSeconds = (int)ColdStartBackoff.TotalSeconds };
        _coldStartFailureAt = clock.GetUtcNow();
        var signal = _readySignal;
        _readySignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
    }

    private void StartFromZero()
    {
        if (_coldStartPending || _profile is null)
        {
            return;
        }

        // The autoscaler's tick sees the waiting request with nothing serving and starts a worker at once.
        _coldStartPending = true;
        this.AsReference<IModelPoolGrain>().EnsureRunningAsync().Ignore();
    }

    private async Task BeginDrainAsync(PoolWorker worker, string afterDrain, string reason)
    {
        if (worker.AfterDrain is not null)
        {
            return;
        }

        worker.AfterDrain = afterDrain;
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
            if (worker.AfterDrain == Stop)
            {
                await grain.StopAsync(worker.Info.Reason is { Length: > 0 } why ? $"drained and stopped ({why})" : "drained and stopped");
            }
            else if (worker.AfterDrain != Hold && _swapTargets.Remove(worker.Info.WorkerId, out var target))
            {
                await grain.SwapAsync(target);
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

    private WorkerLease Lease(RoutingChoice choice)
    {
        var worker = _workers[choice.WorkerId];
        var id = ++_nextLease;
        _leases[id] = (choice.WorkerId, clock.GetUtcNow());
        worker.InFlight++;
        _admitted++;
        if (choice.AffinityHit)
        {
            _affinityHits++;
        }

        return new WorkerLease(id, choice.WorkerId, worker.Info.Endpoint!, worker.Info.ServedModel ?? Model, choice.AffinityHit);
    }

    private WorkerLease Refuse(ModelProfile profile)
    {
        _rejected++;
        _rejectedSinceTick++;
        GridMetrics.Refused.Add(1, new KeyValuePair<string, object?>("model", Model));
        // A slot frees when a running request ends: about one average request time away.
        var typical = _workers.Values.Where(w => w.Routable).Select(w => w.DurationMs).OfType<double>().DefaultIfEmpty(1000).Average();
        var retryAfter = (int)Math.Clamp(Math.Ceiling(typical / 1000), 1, 60);
        var slots = profile.Performance.MaxConcurrentRequests + profile.Performance.MaxQueue;
        throw new AgentGridException(ErrorCodes.CapacityExhausted,
            $"Every worker of '{Model}' is full ({_workers.Values.Count(w => w.Routable)} ready, {slots} requests each counting its queue); retry after {retryAfter} s.")
        { RetryAfterSeconds = retryAfter };
    }

    private async Task DecidedAsync(string type, string reason, int desired, string? workerId = null, string? state = null)
    {
        if (workerId is null)
        {
            _lastDecision = reason;
        }

        logger.LogInformation("Pool {Model} {Type}: {Reason}", Model, type, reason);
        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<WorkerEvent>(StreamId.Create(GridNames.WorkersStreamNamespace, GridNames.ClusterStreamKey))
                .OnNextAsync(new WorkerEvent { Type = type, Model = Model, WorkerId = workerId, State = state, Reason = reason, CurrentReplicas = Active(), DesiredReplicas = desired, At = clock.GetUtcNow() });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Pool {Model} could not publish a scaling event", Model);
        }
    }

    private int Active() => _workers.Values.Count(w => w.AfterDrain is null && !WorkerStates.IsFinal(w.Info.State));

    private PoolWorker Worker(string workerId) => _workers.TryGetValue(workerId, out var worker)
        ? worker
        : throw new AgentGridException(ErrorCodes.WorkerStateConflict, $"Worker '{workerId}' is not running in pool '{Model}' (it has stopped or failed).");

    private ModelProfile RequireProfile() => _profile
        ?? throw new AgentGridException(ErrorCodes.ModelNotFound, $"Model '{Model}' is neither configured nor a profile.");

    private void Remember(WorkerInfo info)
    {
        _recent.Enqueue(info);
        while (_recent.Count > 20)
        {
            _recent.Dequeue();
        }
    }
}
