namespace AgentGrid.Contracts.Workers;

/// <summary>A worker with its load, as <c>GET /api/workers</c> shows it.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.worker-view")]
public sealed record WorkerView([property: Id(0)] WorkerInfo Worker, [property: Id(1)] WorkerLoad? Load);
