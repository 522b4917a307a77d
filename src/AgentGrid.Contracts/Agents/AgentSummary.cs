namespace AgentGrid.Contracts.Agents;

/// <summary>The short form of an agent that the tenant's agent index lists.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent-summary")]
public sealed record AgentSummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? Description { get; init; }
    [Id(3)] public required string Model { get; init; }
    [Id(4)] public int Version { get; init; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }

    public static AgentSummary From(Agent agent) => new()
    {
        Id = agent.Id,
        Name = agent.Name,
        Description = agent.Description,
        Model = agent.Model,
        Version = agent.Version,
        UpdatedAt = agent.UpdatedAt,
    };
}
