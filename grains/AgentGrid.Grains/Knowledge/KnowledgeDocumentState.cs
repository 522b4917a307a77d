using AgentGrid.Contracts.Knowledge;

namespace AgentGrid.Grains.Knowledge;

public sealed class KnowledgeDocumentState
{
    public KnowledgeDocument? Document { get; set; }
    public DocumentIngestion? Settings { get; set; }
    public string? ContentType { get; set; }
    public string? KeyId { get; set; }
    public int FileParts { get; set; }
}
