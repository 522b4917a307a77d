namespace AgentGrid.Contracts.Knowledge;

/// <summary>What a caller sets on a knowledge base.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.knowledge-base-definition")]
public sealed record KnowledgeBaseDefinition
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }

    /// <summary>Most characters per chunk. Default: 1000.</summary>
    [Id(2)] public int? ChunkSize { get; init; }

    /// <summary>Characters repeated from the end of one chunk at the start of the next. Default: 150.</summary>
    [Id(3)] public int? ChunkOverlap { get; init; }

    /// <summary>The embedding model; fixed once documents exist. Default: all-MiniLM-L6-v2 (built in).</summary>
    [Id(4)] public string? EmbeddingModel { get; init; }
}

/// <summary>A knowledge base: documents, chunked and indexed for lexical, vector and hybrid search.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.knowledge-base")]
public sealed record KnowledgeBase
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? Description { get; init; }
    [Id(3)] public int ChunkSize { get; init; }
    [Id(4)] public int ChunkOverlap { get; init; }
    [Id(5)] public required string EmbeddingModel { get; init; }
    [Id(6)] public int DocumentCount { get; init; }
    [Id(7)] public long ChunkCount { get; init; }
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset UpdatedAt { get; init; }
}
