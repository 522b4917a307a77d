namespace AgentGrid.Contracts.Workers;

/// <summary>
/// What the worker pool knows of a worker's load: requests in flight (running and queued) and recent latency.
/// <see cref="Suspect"/>: a request could not reach it, so nothing is routed there until a health check passes.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.worker-load")]
public sealed record WorkerLoad(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] int Running,
    [property: Id(2)] int Queued,
    [property: Id(3)] double? RecentTtftMs,
    [property: Id(4)] double? RecentItlMs,
    [property: Id(5)] long Served,
    [property: Id(6)] bool Suspect = false);
