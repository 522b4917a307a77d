namespace AgentGrid.Grains.Knowledge;

/// <summary>A knowledge base's settings; its documents are rows of their own (<see cref="KnowledgeKeys.DocumentsPartition"/>).</summary>
public sealed class KnowledgeBaseState
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int ChunkSize { get; set; }
    public int ChunkOverlap { get; set; }
    public string EmbeddingModel { get; set; } = "";
    public int Shards { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
