namespace AgentGrid.Contracts.Gpu;

/// <summary>A GPU host as the scheduler sees it: its GPUs, what AgentGrid has reserved on each, and whether its silo is alive.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu-node")]
public sealed record GpuNode
{
    [Id(0)] public required string NodeId { get; init; }

    /// <summary>The silo that hosts the node (its workers run there).</summary>
    [Id(1)] public required string Silo { get; init; }

    /// <summary><c>nvidia-smi</c>, <c>declared</c> or <c>simulated</c>.</summary>
    [Id(2)] public required string Discovery { get; init; }

    [Id(3)] public required IReadOnlyList<GpuCapacity> Gpus { get; init; }

    /// <summary><c>online</c>, <c>draining</c> (its silo is shutting down: nothing new is placed on it) or <c>lost</c> (its silo stopped reporting).</summary>
    [Id(4)] public string Status { get; init; } = GpuNodeStatus.Online;

    [Id(5)] public DateTimeOffset ReportedAt { get; init; }

    /// <summary>CPU cores and RAM the node offers to workers (declared, or the machine's; 0: not reported, not checked).</summary>
    [Id(6)] public double CpuCores { get; init; }
    [Id(7)] public long RamMiB { get; init; }

    /// <summary>What workers' reservations hold of them (their profiles' <c>resources.cpu_cores</c> and <c>resources.ram</c>).</summary>
    [Id(8)] public double ReservedCpuCores { get; init; }
    [Id(9)] public long ReservedRamMiB { get; init; }
}

/// <summary>The CPU and RAM a node offers to its workers' model servers.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.node-host")]
public sealed record NodeHost([property: Id(0)] double CpuCores, [property: Id(1)] long RamMiB);

/// <summary>One GPU's memory: reported by the driver, reserved by workers, and what is left to place on.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.gpu-capacity")]
public sealed record GpuCapacity(
    [property: Id(0)] GpuDevice Device,
    [property: Id(1)] long ReservedMiB,
    [property: Id(2)] long SchedulableMiB);

public static class GpuNodeStatus
{
    public const string Online = "online";
    public const string Draining = "draining";
    public const string Lost = "lost";
}
