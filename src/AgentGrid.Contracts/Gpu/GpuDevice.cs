namespace AgentGrid.Contracts.Gpu;

/// <summary>One GPU as its node last saw it. Memory in MiB; <see cref="UsedMiB"/> is what the driver reports.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu")]
public sealed record GpuDevice(
    [property: Id(0)] int Index,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Uuid,
    [property: Id(3)] long TotalMiB,
    [property: Id(4)] long UsedMiB,
    [property: Id(5)] long FreeMiB,
    [property: Id(6)] int? UtilizationPercent);
