namespace AgentGrid.Knowledge.Documents;

/// <summary>A plain text file: one section, paragraphs split at blank lines.</summary>
internal static class PlainTextExtractor
{
    public static ExtractedDocument Extract(ReadOnlySpan<byte> content, ExtractionBudget budget)
    {
        var text = TextDecoder.TryDecode(content) ?? throw DocumentErrors.NotText("text");
        var writer = new SectionWriter(DocumentType.Text, budget);
        writer.Paragraph(text);
        return writer.Build();
    }
}
