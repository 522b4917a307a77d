using AgentGrid.Contracts.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// One GPU host. Runs on the node's own silo (so nvidia-smi sees the right GPUs), re-reads its GPUs on a
/// timer that keeps it active, and reports them to the scheduler.
/// </summary>
[GpuNodePlacement]
public sealed class GpuNodeGrain(GpuDiscovery discovery, IOptions<GpuOptions> options, ILogger<GpuNodeGrain> logger) : Grain, IGpuNodeGrain
{
    private DiscoveredGpus _gpus = new(GpuDiscoveryModes.None, []);
    private IGrainTimer? _refresh;

    public async Task<IReadOnlyList<GpuDevice>> StartAsync()
    {
        await RefreshAsync(CancellationToken.None);
        _refresh ??= this.RegisterGrainTimer(RefreshAsync, new GrainTimerCreationOptions(options.Value.RefreshInterval, options.Value.RefreshInterval) { KeepAlive = true });
        return _gpus.Gpus;
    }

    public Task<IReadOnlyList<GpuDevice>> GetGpusAsync() => Task.FromResult(_gpus.Gpus);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            _gpus = await discovery.DiscoverAsync(cancellationToken);
            await GrainFactory.GetGrain<IGpuSchedulerGrain>(0)
                .ReportNodeAsync(this.GetPrimaryKeyString(), RuntimeIdentity, _gpus.Source, _gpus.Gpus);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "GPU node {NodeId} could not refresh its GPUs", this.GetPrimaryKeyString());
        }
    }
}
