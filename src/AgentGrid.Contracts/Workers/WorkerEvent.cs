namespace AgentGrid.Contracts.Workers;

/// <summary>
/// A worker state change or an autoscaling decision, published on the <c>workers</c> stream with its reason.
/// Types: <see cref="WorkerEventTypes"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.worker-event")]
public sealed record WorkerEvent
{
    [Id(0)] public required string Type { get; init; }
    [Id(1)] public required string Model { get; init; }
    [Id(2)] public string? WorkerId { get; init; }
    [Id(3)] public string? State { get; init; }
    [Id(4)] public required string Reason { get; init; }
    [Id(5)] public int? CurrentReplicas { get; init; }
    [Id(6)] public int? DesiredReplicas { get; init; }
    [Id(7)] public DateTimeOffset At { get; init; }
}

public static class WorkerEventTypes
{
    public const string WorkerState = "worker.state";
    public const string Scale = "pool.scale";
    public const string ScaleBlocked = "pool.scale_blocked";

    /// <summary>A worker's model server exited on its own; the reason says whether it is restarted (and when) or given up.</summary>
    public const string ServerExited = "worker.server_exited";

    /// <summary>A worker's server uses more GPU memory than its reservation (nvidia-smi's figures).</summary>
    public const string OverReservation = "worker.over_reservation";
}
