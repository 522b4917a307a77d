using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Gpu;
using AgentGrid.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// One model instance on one GPU node, activated on that node's silo. It owns the lifecycle
/// (placing → loading → ready → draining → stopped, or failed), the model server and its health checks;
/// it frees its VRAM reservation whenever it stops or fails, and tells its pool every change.
/// </summary>
[GpuNodePlacement]
public sealed class InferenceWorkerGrain(
    [PersistentState("worker", GridNames.StateStore)] IPersistentState<WorkerGrainState> state,
    ModelServerHost servers,
    IOptions<GpuOptions> options,
    TimeProvider clock,
    ILogger<InferenceWorkerGrain> logger) : Grain, IInferenceWorkerGrain
{
    private IGrainTimer? _health;
    private int _failedChecks;
    private readonly CrashWindow _crashes = new(options.Value.MaxCrashes, options.Value.CrashWindow, options.Value.RestartBackoff);
    private CancellationTokenSource? _loading;

    // Loading runs in the background and interleaves with requests at its awaits: each start, stop, swap or
    // failure begins a new generation, and a load that belongs to an older one changes nothing.
    private int _generation;

    // Background loading and requests both change the state; their writes must not overlap (same ETag).
    private readonly SemaphoreSlim _writes = new(1, 1);

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A worker that should be serving comes back (after a restart, or a lost activation). Until its server
        // answers again it is loading: the endpoint it had may be gone. A drain in progress is forgotten with the
        // pool's memory, so it loads to serve again.
        if (state.State.Info is { State: WorkerStates.Placing or WorkerStates.Loading or WorkerStates.Ready or WorkerStates.Draining } info
            && state.State.Profile is { } profile)
        {
            logger.LogInformation("Worker {WorkerId} resumes {Model} (was {State})", Id, profile.Name, info.State);
            state.State.Info = info with { Endpoint = null, ServedModel = null, ApiKey = null };
            await SetStateAsync(WorkerStates.Loading, $"reactivated (was {info.State}); loading the model again");
            BeginLoad(profile, draining: false);
        }
    }

    public async Task<WorkerInfo> StartAsync(ModelProfile profile, GpuReservation reservation)
    {
        if (state.State.Info is { } existing && !WorkerStates.IsFinal(existing.State))
        {
            return existing;
        }

        state.State.Profile = profile;
        state.State.Reservation = reservation;
        state.State.Info = new WorkerInfo
        {
            WorkerId = Id,
            Model = profile.Name,
            NodeId = reservation.NodeId,
            GpuIndexes = reservation.GpuIndexes,
            ReservedMiBPerGpu = reservation.MiBPerGpu,
            State = WorkerStates.Placing,
            StateSince = clock.GetUtcNow(),
        };
        await SetStateAsync(WorkerStates.Loading, "placed on its node; loading the model");
        BeginLoad(profile, draining: false);
        return state.State.Info;
    }

    public Task<WorkerInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public async Task<WorkerInfo> DrainAsync(string reason)
    {
        var info = state.State.Info ?? throw NotFound();
        if (info.State is WorkerStates.Draining || WorkerStates.IsFinal(info.State))
        {
            return info;
        }

        await SetStateAsync(WorkerStates.Draining, reason);
        return state.State.Info!;
    }

    public async Task<WorkerInfo> StopAsync(string reason)
    {
        var info = state.State.Info ?? throw NotFound();
        if (WorkerStates.IsFinal(info.State))
        {
            return info;
        }

        await ShutDownAsync();
        await SetStateAsync(WorkerStates.Stopped, reason);
        return state.State.Info!;
    }

    public async Task<WorkerInfo> SwapAsync(ModelProfile profile)
    {
        var info = state.State.Info ?? throw NotFound();
        if (info.State is not (WorkerStates.Ready or WorkerStates.Draining))
        {
            throw new AgentGridException(ErrorCodes.WorkerStateConflict, $"Worker '{Id}' is {info.State}; only a ready or draining worker can be swapped.");
        }

        // The new profile's VRAM is reserved in place of the old (same worker, same node) before anything is unloaded:
        // if it does not fit, the worker keeps serving its current model.
        GpuReservation reservation;
        try
        {
            reservation = await GrainFactory.GetGrain<IGpuSchedulerGrain>(0).ReserveAsync(Id, profile, info.NodeId);
        }
        catch (AgentGridException)
        {
            await SetStateAsync(WorkerStates.Ready, $"swap to {profile.Name} did not fit; serving {info.Model} again");
            throw;
        }

        var previous = info.Model;
        StopLoading();
        await servers.StopAsync(Id);
        state.State.Profile = profile;
        state.State.Reservation = reservation;
        state.State.Info = info with
        {
            Model = profile.Name,
            GpuIndexes = reservation.GpuIndexes,
            ReservedMiBPerGpu = reservation.MiBPerGpu,
            Endpoint = null,
            ServedModel = null,
            ApiKey = null,
            Runtime = null,
            Restarts = 0,
        };
        await SetStateAsync(WorkerStates.Loading, $"swapped from {previous}; loading {profile.Name}", previousModel: previous);
        BeginLoad(profile, draining: false);
        return state.State.Info!;
    }

    public async Task AnnounceAsync()
    {
        if (state.State.Info is { } info && !WorkerStates.IsFinal(info.State))
        {
            await GrainFactory.GetGrain<IWorkerPoolGrain>(info.Model).WorkerChangedAsync(info);
        }
    }

    public async Task CheckHealthAsync()
    {
        if (state.State.Info is { State: WorkerStates.Ready or WorkerStates.Draining })
        {
            await CheckAsync(CancellationToken.None);
            if (state.State.Info is { State: WorkerStates.Ready } info && _failedChecks == 0)
            {
                // The pool asked because a request failed; the server answers, so it may route here again.
                await GrainFactory.GetGrain<IWorkerPoolGrain>(info.Model).WorkerChangedAsync(info);
            }
        }
    }

    public async Task ObserveVramAsync(long? usedMiBPerGpu)
    {
        if (state.State.Info is not { } info || WorkerStates.IsFinal(info.State) || info.ObservedMiBPerGpu == usedMiBPerGpu)
        {
            return;
        }

        // Volatile: a reading, not state worth a write. It shows in GetAsync and the pool's view until the next reading.
        state.State.Info = info with { ObservedMiBPerGpu = usedMiBPerGpu };
        var over = usedMiBPerGpu > info.ReservedMiBPerGpu;
        var wasOver = info.ObservedMiBPerGpu > info.ReservedMiBPerGpu;
        if (over && !wasOver)
        {
            logger.LogWarning("Worker {WorkerId} ({Model}) uses {Used} MiB per GPU, over its reservation of {Reserved} MiB", Id, info.Model, usedMiBPerGpu, info.ReservedMiBPerGpu);
            GridMetrics.VramOverReservation.Add(1, new KeyValuePair<string, object?>("model", info.Model));
            await PublishAsync(WorkerEventTypes.OverReservation, $"its server uses {usedMiBPerGpu} MiB per GPU, over the {info.ReservedMiBPerGpu} MiB reserved for it");
        }

        await GrainFactory.GetGrain<IWorkerPoolGrain>(info.Model).WorkerChangedAsync(state.State.Info);
    }

    public Task<IReadOnlyList<string>?> LogsAsync(int lines) => Task.FromResult(servers.Logs(Id, Math.Clamp(lines, 1, ServerLog.DefaultCapacity)));

    private void BeginLoad(ModelProfile profile, bool draining, TimeSpan delay = default)
    {
        StopLoading();
        // The health timer also keeps the activation alive while a long load runs.
        _health ??= this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(options.Value.HealthCheckInterval, options.Value.HealthCheckInterval) { KeepAlive = true });
        var loading = _loading = new CancellationTokenSource();
        _ = LoadAsync(profile, draining, _generation, delay, loading.Token);
    }

    private void StopLoading()
    {
        _generation++;
        _loading?.Cancel();
        _loading = null;
    }

    private async Task LoadAsync(ModelProfile profile, bool draining, int generation, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, clock, cancellationToken);
            }

            var server = await servers.StartAsync(Id, profile, state.State.Reservation!, cancellationToken);
            var problem = await ModelServerHost.CheckAsync(server, cancellationToken);
            if (generation != _generation)
            {
                return;
            }

            if (problem is not null)
            {
                await FailAsync($"the model server did not come up: {problem}");
                return;
            }

            state.State.Info = state.State.Info! with { Endpoint = server.Endpoint, ServedModel = server.ServedModel, ApiKey = server.ApiKey, Runtime = server.Runtime };
            _failedChecks = 0;
            // Drained while it loaded: it stays draining, so the pool's stop or swap goes ahead.
            draining |= state.State.Info.State == WorkerStates.Draining;
            await SetStateAsync(draining ? WorkerStates.Draining : WorkerStates.Ready, draining ? $"{profile.Name} loaded while draining" : $"{profile.Name} loaded at {server.Endpoint}");
            if (server.Process is { } process)
            {
                _ = WatchAsync(profile, process, generation);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ServerExitedException e) when (generation == _generation)
        {
            await CrashedAsync(profile, e.Message);
        }
        catch (Exception e) when (generation == _generation)
        {
            logger.LogWarning(e, "Worker {WorkerId} could not load {Model}", Id, profile.Name);
            await FailAsync(e is AgentGridException ? e.Message : $"loading failed: {e.Message}");
        }
    }

    // Runs on the grain's scheduler: the exit is handled between the grain's other turns, and only if nothing restarted or stopped it since.
    private async Task WatchAsync(ModelProfile profile, ServerProcess process, int generation)
    {
        var code = await process.Exited;
        if (generation == _generation && state.State.Info is { State: WorkerStates.Ready or WorkerStates.Draining })
        {
            await CrashedAsync(profile, new ServerExitedException(code, process.Log.Tail(5)).Message);
        }
    }

    /// <summary>The server exited by itself: start it again after a backoff, or give up (failed, VRAM released) after too many crashes.</summary>
    private async Task CrashedAsync(ModelProfile profile, string what)
    {
        if (state.State.Info is { State: WorkerStates.Draining })
        {
            // It was on its way out: nothing to restart for. Stopped, its drain (a stop or swap) is over.
            await PublishAsync(WorkerEventTypes.ServerExited, $"{what}; it was draining, so it is stopped");
            await ShutDownAsync();
            await SetStateAsync(WorkerStates.Stopped, $"the model server exited while draining: {what}");
            return;
        }

        var wait = _crashes.Crashed(clock.GetUtcNow());
        var window = options.Value.CrashWindow;
        if (wait is not { } backoff)
        {
            await PublishAsync(WorkerEventTypes.ServerExited, $"{what}; {_crashes.Count} crashes within {window.TotalMinutes:0.#} min: giving up");
            await FailAsync($"the model server crashed {_crashes.Count} times within {window.TotalMinutes:0.#} min; the last time {what}");
            return;
        }

        await servers.StopAsync(Id);
        var reason = $"{what}; restart {_crashes.Count} in {backoff.TotalSeconds:0.#} s";
        logger.LogWarning("Worker {WorkerId} ({Model}): {Reason}", Id, profile.Name, reason);
        await PublishAsync(WorkerEventTypes.ServerExited, reason);
        state.State.Info = state.State.Info! with { Endpoint = null, ApiKey = null, Restarts = state.State.Info.Restarts + 1 };
        await SetStateAsync(WorkerStates.Loading, $"the model server crashed; restarting in {backoff.TotalSeconds:0.#} s");
        BeginLoad(profile, draining: false, backoff);
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is not { State: WorkerStates.Ready or WorkerStates.Draining, Endpoint: not null })
        {
            return;
        }

        // A launched server that exited is the watcher's to restart, not a failed check.
        var server = servers.Find(Id);
        if (server?.Process is { HasExited: true })
        {
            return;
        }

        var problem = server is null ? "this node runs no server for it" : await ModelServerHost.CheckAsync(server, cancellationToken);
        if (problem is null)
        {
            if (_failedChecks > 0 && state.State.Info is { State: WorkerStates.Ready } recovered)
            {
                // It answers again: the pool may have stopped routing here when a request failed.
                await GrainFactory.GetGrain<IWorkerPoolGrain>(recovered.Model).WorkerChangedAsync(recovered);
            }

            _failedChecks = 0;
            return;
        }

        logger.LogWarning("Worker {WorkerId} health check failed ({Count}): {Problem}", Id, _failedChecks + 1, problem);
        if (++_failedChecks >= options.Value.FailedChecksBeforeFailure && state.State.Info is { State: WorkerStates.Ready or WorkerStates.Draining })
        {
            await FailAsync($"the model server stopped answering: {problem}");
        }
    }

    private async Task FailAsync(string reason)
    {
        await ShutDownAsync();
        await SetStateAsync(WorkerStates.Failed, reason);
    }

    private async Task ShutDownAsync()
    {
        StopLoading();
        _health?.Dispose();
        _health = null;
        await servers.StopAsync(Id);
        await GrainFactory.GetGrain<IGpuSchedulerGrain>(0).ReleaseAsync(Id);
    }

    private async Task SetStateAsync(string newState, string reason, string? previousModel = null)
    {
        var info = state.State.Info! with { State = newState, Reason = reason, StateSince = clock.GetUtcNow(), Silo = RuntimeIdentity };
        state.State.Info = info;
        await _writes.WaitAsync();
        try
        {
            await this.WriteOrDeactivateAsync(state);
        }
        finally
        {
            _writes.Release();
        }

        logger.LogInformation("Worker {WorkerId} ({Model}) is {State}: {Reason}", Id, info.Model, newState, reason);

        var pools = previousModel is null ? [info.Model] : new[] { previousModel, info.Model };
        foreach (var pool in pools)
        {
            await GrainFactory.GetGrain<IWorkerPoolGrain>(pool).WorkerChangedAsync(info);
        }

        await PublishAsync(WorkerEventTypes.WorkerState, reason);
    }

    private async Task PublishAsync(string type, string reason)
    {
        var info = state.State.Info!;
        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<WorkerEvent>(StreamId.Create(GridNames.WorkersStreamNamespace, GridNames.ClusterStreamKey))
                .OnNextAsync(new WorkerEvent { Type = type, Model = info.Model, WorkerId = Id, State = info.State, Reason = reason, At = clock.GetUtcNow() });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish a {Type} event of worker {WorkerId}", type, Id);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopLoading();
        return Task.CompletedTask;
    }

    private AgentGridException NotFound() => new(ErrorCodes.WorkerNotFound, $"Worker '{Id}' does not exist.");
}
