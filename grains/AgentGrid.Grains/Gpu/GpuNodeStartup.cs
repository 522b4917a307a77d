using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// When the silo is up: starts its GPU node (discovery and reporting), then wakes the pools of models that
/// keep replicas, so workers come back after a restart without waiting for a request.
/// </summary>
public sealed class GpuNodeStartup(IGrainFactory grains, IOptions<GpuOptions> options, ILogger<GpuNodeStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(GpuNodeStartup), ServiceLifecycleStage.Active, StartAsync, _ => Task.CompletedTask);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Starting GPU node {NodeId} (discovery: {Discovery})", options.Value.NodeId, options.Value.Discovery);
        if (options.Value.Discovery != GpuDiscoveryModes.None)
        {
            var gpus = await grains.GetGrain<IGpuNodeGrain>(options.Value.NodeId).StartAsync();
            logger.LogInformation("GPU node {NodeId}: {Gpus}", options.Value.NodeId,
                gpus.Count == 0 ? "no GPUs" : string.Join(", ", gpus.Select(g => $"#{g.Index} {g.Name} {g.TotalMiB} MiB")));
        }

        // Not awaited: pools may start workers, which must not hold up the silo's start.
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var profile in await grains.GetGrain<IProfileRegistryGrain>(0).ListAsync())
                {
                    await grains.GetGrain<IWorkerPoolGrain>(profile.Name).EnsureRunningAsync();
                }
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not wake the worker pools");
            }
        }, CancellationToken.None);
    }
}
