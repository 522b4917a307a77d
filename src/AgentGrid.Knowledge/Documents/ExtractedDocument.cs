namespace AgentGrid.Knowledge.Documents;

/// <summary>The text of a document, in reading order, split into the sections its headings make.</summary>
public sealed record ExtractedDocument(IReadOnlyList<DocumentSection> Sections);
