namespace AgentGrid.Contracts.Knowledge;

/// <summary>A knowledge-base passage a reply drew on.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.citation")]
public sealed record Citation
{
    [Id(0)] public required string KnowledgeBaseId { get; init; }
    [Id(1)] public required string DocumentId { get; init; }
    [Id(2)] public required string DocumentName { get; init; }
    [Id(3)] public required string ChunkId { get; init; }
    [Id(4)] public double Score { get; init; }

    /// <summary>The start of the passage, for display.</summary>
    [Id(5)] public required string Snippet { get; init; }
}
