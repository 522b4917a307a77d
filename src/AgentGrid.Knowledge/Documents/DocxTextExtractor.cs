using DocumentFormat.OpenXml.Packaging;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// A Word .docx: checked as a zip for bombs before OpenXml opens it, then its main part is streamed through a
/// byte limit. A password-protected Word file is not a zip but an OLE compound file holding an encrypted package.
/// </summary>
internal static class DocxTextExtractor
{
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    // The stream an encrypted Office file keeps its package in, as its OLE directory spells it (UTF-16LE).
    private static readonly byte[] EncryptedPackage = System.Text.Encoding.Unicode.GetBytes("EncryptedPackage");

    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        using var stream = CheckPackage(content, budget.Limits);
        return Read(stream, budget);
    }

    /// <summary>
    /// What can be told without unpacking anything: the file is a zip (not an encrypted or old Word file), and its
    /// directory declares no bomb. Returns the stream over it, rewound.
    /// </summary>
    public static Stream CheckPackage(ReadOnlyMemory<byte> content, ExtractionLimits limits)
    {
        var span = content.Span;
        if (span.StartsWith(OleSignature))
        {
            throw span.IndexOf(EncryptedPackage) >= 0
                ? DocumentErrors.Encrypted("Word document")
                : DocumentErrors.Mismatch("The file is an older Word 97-2003 (.doc) or other OLE file, not a .docx; save it as .docx.");
        }

        if (!span.StartsWith(ZipSignature))
        {
            throw DocumentErrors.Mismatch("The file is not a Word .docx document (it is not a zip package).");
        }

        var stream = Streams.ReadOnly(content);
        ZipBombGuard.Check(stream, limits.MaxExpandedBytes);
        stream.Position = 0;
        return stream;
    }

    private static ExtractedDocument Read(Stream stream, ExtractionBudget budget)
    {
        var limits = budget.Limits;
        var settings = new OpenSettings { MaxCharactersInPart = limits.MaxExpandedBytes };
        using var package = WordprocessingDocument.Open(stream, false, settings);
        var main = package.MainDocumentPart
                   ?? throw DocumentErrors.Corrupt("Word document", "it has no main document part");

        var remaining = limits.MaxExpandedBytes;
        var styles = WordStyles.None;
        if (main.StyleDefinitionsPart is { } stylesPart)
        {
            var bounded = Bounded(stylesPart, remaining, limits);
            styles = WordStyles.Read(bounded);
            remaining -= bounded.BytesRead;
        }

        var writer = new SectionWriter(DocumentType.Docx, budget);
        new WordBodyReader(styles, writer).Read(Bounded(main, remaining, limits));
        return writer.Build();
    }

    private static BoundedReadStream Bounded(OpenXmlPart part, long budget, ExtractionLimits limits) =>
        new(part.GetStream(FileMode.Open, FileAccess.Read), budget, () => DocumentErrors.ExpandsTooFar(limits.MaxExpandedBytes));
}
