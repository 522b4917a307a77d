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

    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, ExtractionLimits limits)
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

        using var stream = Streams.ReadOnly(content);
        ZipBombGuard.Check(stream, limits.MaxExpandedBytes);
        stream.Position = 0;
        return Read(stream, limits);
    }

    private static ExtractedDocument Read(Stream stream, ExtractionLimits limits)
    {
        var settings = new OpenSettings { MaxCharactersInPart = limits.MaxExpandedBytes };
        using var package = WordprocessingDocument.Open(stream, false, settings);
        var main = package.MainDocumentPart
                   ?? throw DocumentErrors.Corrupt("Word document", "it has no main document part");

        var budget = limits.MaxExpandedBytes;
        var styles = WordStyles.None;
        if (main.StyleDefinitionsPart is { } stylesPart)
        {
            var bounded = Bounded(stylesPart, budget, limits);
            styles = WordStyles.Read(bounded);
            budget -= bounded.BytesRead;
        }

        var writer = new SectionWriter(DocumentType.Docx, limits);
        new WordBodyReader(styles, writer).Read(Bounded(main, budget, limits));
        return writer.Build();
    }

    private static BoundedReadStream Bounded(OpenXmlPart part, long budget, ExtractionLimits limits) =>
        new(part.GetStream(FileMode.Open, FileAccess.Read), budget, () => DocumentErrors.ExpandsTooFar(limits.MaxExpandedBytes));
}
