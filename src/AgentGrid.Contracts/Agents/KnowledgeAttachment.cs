namespace AgentGrid.Contracts.Agents;

/// <summary>A knowledge base an agent answers from: each turn retrieves its best <see cref="K"/> passages.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.knowledge-attachment")]
public sealed record KnowledgeAttachment
{
    [Id(0)] public required string Id { get; init; }

    /// <summary>Lower comes first when passages of several knowledge bases compete for the prompt. Default: 0.</summary>
    [Id(1)] public int Priority { get; init; }

    /// <summary>Passages taken from it per turn, 1 to 20. Default: 4.</summary>
    [Id(2)] public int K { get; init; } = 4;
}
