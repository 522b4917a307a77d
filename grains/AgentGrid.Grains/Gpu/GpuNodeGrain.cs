using AgentGrid.Contracts.Gpu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// One GPU host. Runs on the node's own silo (so nvidia-smi sees the right GPUs), re-reads its GPUs on a
/// timer that keeps it active, and reports them to the scheduler.
/// </summary>
[GpuNodePlacement]
public sealed class GpuNodeGrain(GpuDiscovery discovery, Workers.Node.ModelServerHost servers, IOptions<GpuOptions> options, ILogger<GpuNodeGrain> logger)
    : Grain, IGpuNodeGrain
{
    private DiscoveredGpus _gpus = new(GpuDiscoveryModes.None, []);
    private readonly Dictionary<string, long?> _observed = new(StringComparer.Ordinal);
    private IGrainTimer? _refresh;

    public async Task<IReadOnlyList<GpuDevice>> StartAsync()
    {
        await RefreshAsync(CancellationToken.None);
        _refresh ??= this.RegisterGrainTimer(RefreshAsync, new GrainTimerCreationOptions(options.Value.RefreshInterval, options.Value.RefreshInterval) { KeepAlive = true });
        return _gpus.Gpus;
    }

    public Task<IReadOnlyList<GpuDevice>> GetGpusAsync() => Task.FromResult(_gpus.Gpus);

    /// <summary>What the node offers besides GPUs: declared, or this machine's cores and the memory this process may use.</summary>
    public static NodeHost Host(GpuOptions options) => new(
        options.CpuCores ?? Environment.ProcessorCount,
        options.Ram is { } ram && Inference.Profiles.MemorySize.TryParseMiB(ram, out var mib) ? mib : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024));

    // Each launched server's memory, attributed by its session (the server's pid), told to its worker when it changes.
    private async Task ObserveAsync(IReadOnlyList<ComputeApps.Usage> processes)
    {
        var bySession = ComputeApps.BySession(processes, Workers.Node.ProcessSignals.SessionOf);
        foreach (var workerId in servers.WorkerIds)
        {
            // Ollama's node server is shared by its workers: its memory is no one worker's.
            var server = servers.Find(workerId);
            long? used = server is { Runtime: not Contracts.Profiles.ModelRuntimes.Ollama, Process.Group: { } group } ? bySession.GetValueOrDefault(group) : null;
            if (!_observed.TryGetValue(workerId, out var last) || last != used)
            {
                _observed[workerId] = used;
                await GrainFactory.GetGrain<Contracts.Workers.IInferenceWorkerGrain>(workerId).ObserveVramAsync(used);
            }
        }

        foreach (var gone in _observed.Keys.Where(id => servers.Find(id) is null).ToList())
        {
            _observed.Remove(gone);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            _gpus = await discovery.DiscoverAsync(cancellationToken);
            await GrainFactory.GetGrain<IGpuSchedulerGrain>(0)
                .ReportNodeAsync(this.GetPrimaryKeyString(), RuntimeIdentity, _gpus.Source, _gpus.Gpus, Host(options.Value));
            if (_gpus.Processes is { } processes)
            {
                await ObserveAsync(processes);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "GPU node {NodeId} could not refresh its GPUs", this.GetPrimaryKeyString());
        }
    }
}
