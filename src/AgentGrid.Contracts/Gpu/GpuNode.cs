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
}

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
