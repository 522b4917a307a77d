namespace AgentGrid.Grains.Knowledge;

/// <summary>Grain keys and record partitions of knowledge bases, in one place.</summary>
internal static class KnowledgeKeys
{
    public static string Document(string baseKey, string documentId) => $"{baseKey}/{documentId}";

    public static string Shard(string baseKey, int shard) => $"{baseKey}/s{shard}";

    /// <summary>The knowledge base of a document or shard key (<c>{tenant}/{kb}/{x}</c>).</summary>
    public static string BaseOf(string key) => key[..key.LastIndexOf('/')];

    public static string LastSegment(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>A knowledge base's documents, one row each.</summary>
    public static string DocumentsPartition(string baseKey) => "kb-docs/" + baseKey;

    /// <summary>A document's stored file, in parts.</summary>
    public static string FilePartition(string documentKey) => "kb-file/" + documentKey;

    /// <summary>A shard's chunks, ids <c>{documentId}/{version}/{index}</c>.</summary>
    public static string ShardPartition(string shardKey) => "kb-shard/" + shardKey;

    /// <summary>Documents whose ingestion has not settled (ids are document grain keys), resumed when a silo starts.</summary>
    public const string PendingPartition = "kb-pending";
}
