namespace AgentGrid.Contracts.Gpu;

/// <summary>
/// One GPU host, keyed by node id. It is activated on the silo of that node (GPU node placement),
/// discovers the GPUs there and reports them to the scheduler on a timer.
/// </summary>
[Alias("agentgrid.IGpuNodeGrain")]
public interface IGpuNodeGrain : IGrainWithStringKey
{
    /// <summary>Discovers the GPUs now and reports them; called by the silo at start-up.</summary>
    [Alias("start")] Task<IReadOnlyList<GpuDevice>> StartAsync();

    [Alias("gpus")] Task<IReadOnlyList<GpuDevice>> GetGpusAsync();
}
