using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Knowledge;

/// <summary>Where a document is in its ingestion.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DocumentState>))]
public enum DocumentState
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("extracting")] Extracting,
    [JsonStringEnumMemberName("chunking")] Chunking,
    [JsonStringEnumMemberName("embedding")] Embedding,
    [JsonStringEnumMemberName("ready")] Ready,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>A document of a knowledge base and its ingestion's progress.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.knowledge-document")]
public sealed record KnowledgeDocument
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }

    /// <summary><c>txt</c>, <c>md</c>, <c>html</c>, <c>docx</c> or <c>pdf</c>.</summary>
    [Id(2)] public required string Type { get; init; }
    [Id(3)] public long SizeBytes { get; init; }

    /// <summary>1 for the first upload; each upload under the same name makes the next version and retires the previous one's chunks.</summary>
    [Id(4)] public int Version { get; init; }
    [Id(5)] public DocumentState State { get; init; }

    /// <summary>From 0 to 1 over the whole ingestion.</summary>
    [Id(6)] public double Progress { get; init; }
    [Id(7)] public int Chunks { get; init; }

    [Id(8)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorCode { get; init; }

    [Id(9)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [Id(10)] public DateTimeOffset CreatedAt { get; init; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore]
    public bool Settled => State is DocumentState.Ready or DocumentState.Failed;
}

/// <summary>One file handed to a knowledge base.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.document-upload")]
public sealed record DocumentUpload
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? ContentType { get; init; }
    [Id(2)] public required byte[] Content { get; init; }

    /// <summary>The key that uploaded it: embedding is metered under it.</summary>
    [Id(3)] public string? KeyId { get; init; }
}

/// <summary>One passage found by a search.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.knowledge-hit")]
public sealed record KnowledgeHit
{
    [Id(0)] public required string DocumentId { get; init; }
    [Id(1)] public required string DocumentName { get; init; }
    [Id(2)] public required string ChunkId { get; init; }
    [Id(3)] public required string Text { get; init; }
    [Id(4)] public double Score { get; init; }

    [Id(5)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Heading { get; init; }
}

/// <summary>How a search ranks: BM25, embeddings, or both fused.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KnowledgeSearchMode>))]
public enum KnowledgeSearchMode
{
    [JsonStringEnumMemberName("hybrid")] Hybrid,
    [JsonStringEnumMemberName("lexical")] Lexical,
    [JsonStringEnumMemberName("vector")] Vector,
}
