namespace AgentGrid.Contracts.Gpu;

/// <summary>
/// VRAM held for one worker on one node: <see cref="MiBPerGpu"/> on each GPU in <see cref="GpuIndexes"/>. <see cref="GpuUuids"/>
/// (where the node discovered them) pin its server; <see cref="GpuTotalMiB"/> is the smallest of those GPUs' memory, from which a
/// runtime's memory fraction is derived.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu-reservation")]
public sealed record GpuReservation(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string NodeId,
    [property: Id(2)] IReadOnlyList<int> GpuIndexes,
    [property: Id(3)] long MiBPerGpu,
    [property: Id(4)] string Model,
    [property: Id(5)] IReadOnlyList<string>? GpuUuids = null,
    [property: Id(6)] long GpuTotalMiB = 0,
    [property: Id(7)] double CpuCores = 0,
    [property: Id(8)] long RamMiB = 0);
