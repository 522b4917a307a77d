namespace AgentGrid.Contracts.Gpu;

/// <summary>A change of a node's capacity, published on the <c>nodes</c> stream.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.node-capacity-event")]
public sealed record NodeCapacityEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] GpuNode Node,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset At);
