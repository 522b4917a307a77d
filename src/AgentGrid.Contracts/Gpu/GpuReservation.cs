namespace AgentGrid.Contracts.Gpu;

/// <summary>VRAM held for one worker on one node: <see cref="MiBPerGpu"/> on each GPU in <see cref="GpuIndexes"/>.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu-reservation")]
public sealed record GpuReservation(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string NodeId,
    [property: Id(2)] IReadOnlyList<int> GpuIndexes,
    [property: Id(3)] long MiBPerGpu,
    [property: Id(4)] string Model);
