namespace AgentGrid.Knowledge.Documents;

/// <summary>The kinds of file a knowledge base reads text from.</summary>
public enum DocumentType
{
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}
