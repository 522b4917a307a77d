using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers;

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
        if (gpu.Discovery == "none" || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var reason = $"node {gpu.NodeId} is shutting down";
        try
        {
            await grains.GetGrain<IGpuSchedulerGrain>(0).CordonAsync(gpu.NodeId, silo.SiloAddress.ToString(), reason);
            var release = gpu.OnShutdown == ShutdownActions.Release;
            var drains = new List<Task>();
            foreach (var workerId in servers.WorkerIds)
            {
                if (await grains.GetGrain<IInferenceWorkerGrain>(workerId).GetAsync() is not { } worker || WorkerStates.IsFinal(worker.State))
                {
                    continue;
                }

                var pool = grains.GetGrain<IModelPoolGrain>(worker.Model);
                await pool.RetireWorkerAsync(workerId, release, reason);
                drains.Add(pool.WaitDrainedAsync(workerId));
            }

            if (drains.Count == 0)
            {
                return;
            }

            logger.LogInformation("Draining {Count} workers of node {NodeId} (up to {Timeout}), then {Action}",
                drains.Count, gpu.NodeId, gpu.ShutdownDrainTimeout, release ? "stopping them" : "leaving them to load again at the next start");
            await Task.WhenAll(drains).WaitAsync(gpu.ShutdownDrainTimeout, clock, cancellationToken);
            logger.LogInformation("Drained the workers of node {NodeId} in {Elapsed:0.0} s", gpu.NodeId, clock.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
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
}
