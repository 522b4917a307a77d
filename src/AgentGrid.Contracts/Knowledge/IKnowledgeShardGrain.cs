namespace AgentGrid.Contracts.Knowledge;

/// <summary>
/// A part of a knowledge base's chunks, keyed <c>{tenant}/{knowledgeBaseId}/{shard}</c>, held in memory with its BM25
/// and vector indexes (read from storage on activation, then kept up to date chunk by chunk).
/// </summary>
[Alias("agentgrid.IKnowledgeShardGrain")]
public interface IKnowledgeShardGrain : IGrainWithStringKey
{
    /// <summary>Stores and indexes a document version's chunks, then retires the document's older versions.</summary>
    [Alias("put")] Task PutDocumentAsync(string documentId, string documentName, int version, IReadOnlyList<ShardChunk> chunks);

    [Alias("remove")] Task RemoveDocumentAsync(string documentId);

    /// <summary>
    /// The shard's best <paramref name="depth"/> chunks by BM25 and by cosine similarity (raw scores, comparable across
    /// shards), which the knowledge base fuses over all its shards at once.
    /// </summary>
    [Alias("candidates")] Task<ShardCandidates> CandidatesAsync(string query, float[]? queryVector, int depth, KnowledgeSearchMode mode);

    /// <summary>Drops every chunk of the shard.</summary>
    [Alias("clear")] Task ClearAsync();
}

/// <summary>A chunk with its embedding, as a shard stores it.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.shard-chunk")]
public sealed record ShardChunk(
    [property: Id(0)] int Index, [property: Id(1)] string? Heading, [property: Id(2)] string Text, [property: Id(3)] float[] Vector);

/// <summary>A shard's raw candidates for one query, best first on each side.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.shard-candidates")]
public sealed record ShardCandidates([property: Id(0)] IReadOnlyList<KnowledgeHit> Lexical, [property: Id(1)] IReadOnlyList<KnowledgeHit> Vector)
{
    public static ShardCandidates None { get; } = new([], []);
}
