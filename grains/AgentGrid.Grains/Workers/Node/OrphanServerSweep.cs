using AgentGrid.Grains.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// At the silo's start, before any worker loads: stops the model servers that an earlier silo process of this node launched and
/// could not stop (it was killed), so their GPU memory and ports are free again. At its stop, stops the servers it launched.
/// </summary>
public sealed class OrphanServerSweep(ModelServerHost servers, IOptions<GpuOptions> options, ILogger<OrphanServerSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrphanServerSweep), ServiceLifecycleStage.RuntimeInitialize, SweepAsync, async _ => await servers.DisposeAsync());

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Discovery == GpuDiscoveryModes.None)
        {
            return;
        }

        var stopped = await servers.PidFiles.StopOrphansAsync(TimeSpan.FromSeconds(10));
        if (stopped > 0)
        {
            logger.LogWarning("Stopped {Count} model servers left running by an earlier run of node {NodeId}", stopped, options.Value.NodeId);
        }
    }
}
