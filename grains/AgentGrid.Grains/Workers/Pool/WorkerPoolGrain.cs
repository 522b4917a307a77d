using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>
/// The workers of one model. Acquire/release run interleaved and only touch memory: routing by the profile's
/// policy, admission against each worker's concurrency plus queue (429 when all are full, never an unbounded
/// queue). Management calls and the autoscaler tick are serialised. Nothing is stored here: the scheduler's
/// reservations say which workers exist, so an activation rebuilds its view from them. The parts: the roster of
/// workers and leases (<see cref="PoolRoster"/>), the requests waiting for a first worker (<see cref="ReadyWait"/>),
/// the autoscaler's inputs (<see cref="ScalingSignals"/>, <see cref="Autoscaler"/>) and drain plans (<see cref="DrainPlan"/>).
/// </summary>
// Its grain type keeps its name from before the rename, so silos of both versions address the same pools.
[GrainType("modelpool")]
public sealed partial class WorkerPoolGrain(IOptions<PoolOptions> options, TimeProvider clock, ILogger<WorkerPoolGrain> logger) : Grain, IWorkerPoolGrain
{
    private PoolRoster _roster = null!;
    private ReadyWait _ready = null!;
    private readonly ScalingSignals _signals = new();
    private ModelProfile? _profile;
    private IRoutingPolicy _policy = new LeastLoadedAffinityPolicy();
    private DateTimeOffset _activatedAt;
    private int? _pinned;

    private string Model => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _roster = new PoolRoster(Model);
        _ready = new ReadyWait(clock);
        _signals.LastRequestAt = clock.GetUtcNow();
        _profile = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).GetAsync(Model);
        if (_profile is null)
        {
            return;
        }

        _policy = IRoutingPolicy.For(_profile.Scaling.Routing);
        _pinned = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).PinnedReplicasAsync(Model);
        // The scheduler's reservations say which workers exist. They report back on their own (one-way): a worker may be
        // calling this pool right now, and waiting for it here would deadlock.
        // Until a worker reports, it counts as loading, so the autoscaler does not start duplicates meanwhile.
        _activatedAt = clock.GetUtcNow();
        foreach (var reservation in await GrainFactory.GetGrain<IGpuSchedulerGrain>(0).ListReservationsAsync())
        {
            if (reservation.Model == Model)
            {
                _roster.Add(new WorkerInfo
                {
                    WorkerId = reservation.WorkerId,
                    Model = Model,
                    NodeId = reservation.NodeId,
                    GpuIndexes = reservation.GpuIndexes,
                    ReservedMiBPerGpu = reservation.MiBPerGpu,
                    State = WorkerStates.Loading,
                    Reason = "not reported since the pool was activated",
                    StateSince = DateTimeOffset.MinValue,
                });
                GrainFactory.GetGrain<IInferenceWorkerGrain>(reservation.WorkerId).AnnounceAsync().Ignore();
            }
        }

        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(options.Value.AutoscaleInterval, options.Value.AutoscaleInterval) { KeepAlive = true });
    }

    public async Task<WorkerLease> AcquireAsync(RouteRequest request)
    {
        var profile = RequireProfile();
        if (request.Needs?.FirstOrDefault(need => !profile.Can(need)) is { } missing)
        {
            // Refused before it counts as demand: no worker would serve it, so none should start for it.
            throw new AgentGridException(ErrorCodes.CapabilityMissing,
                $"Model '{Model}' cannot serve this request: it needs '{missing}', and the model's capabilities are {string.Join(", ", profile.Capabilities)}.", "model");
        }

        _signals.LastRequestAt = clock.GetUtcNow();
        var deadline = _signals.LastRequestAt + options.Value.ReadyWaitTimeout;
        while (true)
        {
            var routable = _roster.Routable;
            var candidates = _roster.Candidates(routable, request, profile);
            if (candidates.Count > 0)
            {
                if (_policy.Choose(request.AffinityKey, request.PrefixKey, candidates) is { } choice)
                {
                    return _roster.Lease(choice, clock.GetUtcNow(), profile);
                }

                _signals.Refused();
                throw _roster.Refuse(profile);
            }

            if (routable.Count > 0)
            {
                throw AgentGridException.ModelUnavailable(Model, "no other ready worker answers");
            }

            if (!_roster.AnyStarting)
            {
                _ready.ThrowIfFailedRecently();
                StartFromZero();
            }

            if (!await _ready.WaitAsync(deadline - clock.GetUtcNow()))
            {
                throw new AgentGridException(ErrorCodes.NoReadyWorker,
                    $"No worker of '{Model}' became ready within {options.Value.ReadyWaitTimeout.TotalSeconds:0} s.") { RetryAfterSeconds = 5 };
            }
        }
    }

    public Task ReleaseAsync(long leaseId, LeaseOutcome outcome)
    {
        if (_roster.Release(leaseId, outcome, clock.GetUtcNow()) is not { } worker)
        {
            return Task.CompletedTask;
        }

        _signals.Served(outcome.TtftMs);
        if (outcome.Unreachable && worker.Info.State == WorkerStates.Ready && !worker.Suspect)
        {
            logger.LogWarning("Pool {Model}: worker {WorkerId} did not answer; routing around it until its health check", Model, worker.Info.WorkerId);
            worker.Suspect = true;
            GrainFactory.GetGrain<IInferenceWorkerGrain>(worker.Info.WorkerId).CheckHealthAsync().Ignore();
        }

        if (worker.AfterDrain is not null && worker.InFlight == 0)
        {
            FinishDrainAsync(worker).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task WorkerChangedAsync(WorkerInfo info)
    {
        if (info.Model == Model && info.State == WorkerStates.Failed && _ready.Waiting > 0
            && !_roster.Workers.Any(w => w.Info.WorkerId != info.WorkerId && !WorkerStates.IsFinal(w.Info.State)))
        {
            // The worker that waiting requests count on failed: they fail now. Its reason (which can name hosts and
            // servers) is for operators: GET /api/workers and the log.
            _ready.Fail(AgentGridException.ModelUnavailable(Model, "its worker failed; an operator can see why in GET /api/workers"));
        }

        var isKnown = _roster.TryGet(info.WorkerId, out var known);
        if (isKnown && known.Info.StateSince > info.StateSince)
        {
            // An older report overtaken by a newer one.
            return Task.CompletedTask;
        }

        if (info.State == WorkerStates.Failed && isKnown && known.Info.State is WorkerStates.Placing or WorkerStates.Loading)
        {
            _signals.LastStartFailureAt = clock.GetUtcNow();
        }

        if (isKnown && known.AfterDrain == DrainPlan.Hold && info.State is WorkerStates.Loading or WorkerStates.Ready)
        {
            // Held while its node shut down; the node is back and the worker loads again: route to it again.
            known.AfterDrain = null;
        }

        if (info.Model != Model || WorkerStates.IsFinal(info.State))
        {
            if (_roster.Remove(info.WorkerId, out var gone))
            {
                gone.Drained.TrySetResult();
                if (WorkerStates.IsFinal(info.State))
                {
                    _roster.Remember(info);
                }
            }

            return Task.CompletedTask;
        }

        var worker = _roster.Add(info);
        worker.Info = info;
        if (info.State == WorkerStates.Ready)
        {
            worker.Suspect = false;
            _ready.Ready();
        }

        return Task.CompletedTask;
    }

    public Task<PoolStatus> GetStatusAsync() => Task.FromResult(new PoolStatus
    {
        Model = Model,
        Routing = _profile?.Scaling.Routing ?? RoutingPolicies.LeastLoaded,
        DesiredReplicas = _signals.LastDesired,
        ReadyReplicas = _roster.Ready,
        Workers = _roster.Views(_profile?.Performance.MaxConcurrentRequests ?? 1),
        Admitted = _roster.Admitted,
        Rejected = _roster.Rejected,
        AffinityHits = _roster.AffinityHits,
        LastDecision = _signals.LastDecision,
        PinnedReplicas = _pinned,
    });

    public async Task<PoolStatus> ScaleAsync(int? replicas)
    {
        RequireProfile();
        await GrainFactory.GetGrain<IProfileRegistryGrain>(0).PinReplicasAsync(Model, replicas);
        _pinned = replicas;
        // The pin is a decision of its own: no cool-down holds it back.
        _signals.LastScaleAt = DateTimeOffset.MinValue;
        await DecidedAsync(WorkerEventTypes.Scale, replicas is { } n ? $"pinned at {n} replicas by an operator" : "pin cleared: the autoscaler decides again", replicas ?? _signals.LastDesired);
        return await GetStatusAsync();
    }

    private ModelProfile RequireProfile() => _profile
        ?? throw new AgentGridException(ErrorCodes.ModelNotFound, $"Model '{Model}' is neither configured nor a profile.");
}
