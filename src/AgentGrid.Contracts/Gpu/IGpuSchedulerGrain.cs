namespace AgentGrid.Contracts.Gpu;

/// <summary>
/// The cluster's one view of GPU capacity, key <c>0</c>. It serialises every reservation, so two
/// placements can never take the same VRAM. Called on placement and node reports, never per request.
/// </summary>
[Alias("agentgrid.IGpuSchedulerGrain")]
public interface IGpuSchedulerGrain : IGrainWithIntegerKey
{
    [Alias("report")] Task ReportNodeAsync(string nodeId, string silo, string discovery, IReadOnlyList<GpuDevice> gpus);

    /// <summary>A node's GPUs with the CPU and RAM it offers; placement checks a profile's <c>cpu_cores</c> and <c>ram</c> against them.</summary>
    [Alias("report-host")] Task ReportNodeAsync(string nodeId, string silo, string discovery, IReadOnlyList<GpuDevice> gpus, NodeHost host);

    /// <summary>
    /// Picks a node and GPUs (best fit; only <paramref name="nodeId"/> when given) and reserves the VRAM;
    /// <c>insufficient_gpu_capacity</c> when nothing fits. A null <paramref name="workerId"/> names a new worker
    /// after the chosen node; an existing worker's reservation is replaced (a swap), atomically.
    /// </summary>
    [Alias("reserve")] Task<GpuReservation> ReserveAsync(string? workerId, Profiles.ModelProfile profile, string? nodeId);

    /// <summary>Throws what <see cref="ReserveAsync"/> would if <paramref name="profile"/> were placed now in place of the worker; reserves nothing.</summary>
    [Alias("fits")] Task CheckFitAsync(string workerId, Profiles.ModelProfile profile, string nodeId);

    [Alias("release")] Task ReleaseAsync(string workerId);

    /// <summary>
    /// The node's silo is shutting down: nothing new is placed on the node until a silo reports it again.
    /// Its workers drain (see <see cref="Workers.IWorkerPoolGrain.RetireWorkerAsync"/>).
    /// </summary>
    [Alias("cordon")] Task CordonAsync(string nodeId, string silo, string reason);

    [Alias("nodes")] Task<IReadOnlyList<GpuNode>> ListNodesAsync();

    [Alias("reservations")] Task<IReadOnlyList<GpuReservation>> ListReservationsAsync();
}
