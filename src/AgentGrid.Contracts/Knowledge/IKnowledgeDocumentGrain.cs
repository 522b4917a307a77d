namespace AgentGrid.Contracts.Knowledge;

/// <summary>
/// One document's ingestion, keyed <c>{tenant}/{knowledgeBaseId}/{documentId}</c>: extract, chunk, embed, hand the
/// chunks to their shard. Its file is stored, so ingestion resumes after a restart.
/// </summary>
[Alias("agentgrid.IKnowledgeDocumentGrain")]
public interface IKnowledgeDocumentGrain : IGrainWithStringKey
{
    /// <summary>Stores a new version of the file and starts ingesting it; the text is extracted first, so a bad file is refused here.</summary>
    [Alias("ingest")] Task<KnowledgeDocument> IngestAsync(DocumentUpload upload, DocumentIngestion settings);

    [Alias("get")] Task<KnowledgeDocument?> GetAsync();

    /// <summary>Continues an ingestion a restart cut off; nothing when it is settled.</summary>
    [Alias("resume")] Task ResumeAsync();

    /// <summary>Removes the file, its chunks from the shard (text, index entries, vectors) and the document.</summary>
    [Alias("delete")] Task DeleteAsync();
}

/// <summary>How a knowledge base wants its documents ingested.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.document-ingestion")]
public sealed record DocumentIngestion(
    [property: Id(0)] int ChunkSize, [property: Id(1)] int ChunkOverlap, [property: Id(2)] string EmbeddingModel, [property: Id(3)] int Shards);
