using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// A graceful shutdown of a GPU silo drains its workers before anything else stops: the node takes no new placements,
/// its workers no new requests, and the requests they are serving finish (up to <see cref="GpuOptions.ShutdownDrainTimeout"/>).
/// Then each worker is stopped and its VRAM freed, for the pools to replace elsewhere, or left to load again
/// (<see cref="GpuOptions.OnShutdown"/>). Runs while the silo still serves calls: before its Active stage stops.
/// </summary>
public sealed class WorkerShutdownDrain(
    IGrainFactory grains,
    ModelServerHost servers,
    ILocalSiloDetails silo,
    IOptions<GpuOptions> options,
    TimeProvider clock,
    ILogger<WorkerShutdownDrain> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkerShutdownDrain), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var gpu = options.Value;
        // An ungraceful stop (its token already cancelled) gets no drain: its workers are found lost, as after a crash.
        if (gpu.Discovery == Gpu.GpuDiscoveryModes.None || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var started = clock.GetTimestamp();
        // Everything (cordon, retiring, waiting) within the drain timeout: a shutdown must never hang on it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(gpu.ShutdownDrainTimeout);
        try
        {
            var drained = await DrainWorkersAsync(gpu).WaitAsync(deadline.Token);
            if (drained > 0)
            {
                logger.LogInformation("Drained {Count} workers of node {NodeId} in {Elapsed:0.0} s", drained, gpu.NodeId, clock.GetElapsedTime(started).TotalSeconds);
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Node {NodeId} shuts down with requests still running after {Elapsed:0.0} s of draining",
                gpu.NodeId, clock.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            // Never hold up a shutdown: the workers are then found lost, as after a crash.
            logger.LogWarning(e, "Could not drain the workers of node {NodeId}", gpu.NodeId);
        }
    }

    private async Task<int> DrainWorkersAsync(GpuOptions gpu)
    {
        var reason = $"node {gpu.NodeId} is shutting down";
        await grains.GetGrain<IGpuSchedulerGrain>(0).CordonAsync(gpu.NodeId, silo.SiloAddress.ToString(), reason);
        var release = gpu.OnShutdown == ShutdownActions.Release;
        var drains = await Task.WhenAll(servers.WorkerIds.Select(async workerId =>
        {
            if (await grains.GetGrain<IInferenceWorkerGrain>(workerId).GetAsync() is not { } worker || WorkerStates.IsFinal(worker.State))
            {
                return false;
            }

            var pool = grains.GetGrain<IWorkerPoolGrain>(worker.Model);
            await pool.RetireWorkerAsync(workerId, release, reason);
            logger.LogInformation("Draining worker {WorkerId} ({Model}), then {Action}", workerId, worker.Model,
                release ? "stopping it" : "leaving it to load again at the next start");
            await pool.WaitDrainedAsync(workerId);
            return true;
        }));
        return drains.Count(d => d);
    }
}
