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

    [Alias("search")] Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, float[]? queryVector, int k, KnowledgeSearchMode mode);

    /// <summary>Drops every chunk of the shard.</summary>
    [Alias("clear")] Task ClearAsync();
}

/// <summary>A chunk with its embedding, as a shard stores it.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.shard-chunk")]
public sealed record ShardChunk(
    [property: Id(0)] int Index, [property: Id(1)] string? Heading, [property: Id(2)] string Text, [property: Id(3)] float[] Vector);
