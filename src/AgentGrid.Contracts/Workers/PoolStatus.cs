namespace AgentGrid.Contracts.Workers;

/// <summary>A worker pool: its workers with their loads, and the autoscaler's view.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.pool-status")]
public sealed record PoolStatus
{
    [Id(0)] public required string Model { get; init; }
    [Id(1)] public required string Routing { get; init; }
    [Id(2)] public int DesiredReplicas { get; init; }
    [Id(3)] public int ReadyReplicas { get; init; }
    [Id(4)] public IReadOnlyList<WorkerView> Workers { get; init; } = [];
    [Id(5)] public long Admitted { get; init; }
    [Id(6)] public long Rejected { get; init; }
    [Id(7)] public long AffinityHits { get; init; }
    [Id(8)] public string? LastDecision { get; init; }

    /// <summary>The replica count an operator pinned, or null when the autoscaler decides.</summary>
    [Id(9)] public int? PinnedReplicas { get; init; }
}
