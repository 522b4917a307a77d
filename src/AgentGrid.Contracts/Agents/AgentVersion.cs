namespace AgentGrid.Contracts.Agents;

/// <summary>One entry of an agent's history: the definition it had at that version.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent-version")]
public sealed record AgentVersion
{
    [Id(0)] public int Version { get; init; }
    [Id(1)] public required AgentDefinition Definition { get; init; }
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when this version was made by rolling back to an earlier one.</summary>
    [Id(3)] public int? RolledBackFrom { get; init; }
}
