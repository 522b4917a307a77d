using AgentGrid.Contracts.Errors;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace AgentGrid.Knowledge.Documents;

/// <summary>A PDF: one section per page with text, headed <c>Page N</c>, paragraphs as the layout suggests.</summary>
internal static class PdfTextExtractor
{
    // Readers accept the header anywhere in the first kilobyte.
    private const int HeaderWindow = 1024;

    private static readonly byte[] Header = "%PDF-"u8.ToArray();
    private static readonly byte[] EncryptKey = "/Encrypt"u8.ToArray();

    private static readonly ContentOrderTextExtractor.Options TextOptions = new()
    {
        SeparateParagraphsWithDoubleNewline = true,
        ReplaceWhitespaceWithSpace = true,
    };

    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, ExtractionLimits limits)
    {
        var span = content.Span;
        if (span[..Math.Min(span.Length, HeaderWindow + Header.Length)].IndexOf(Header) < 0)
        {
            throw DocumentErrors.Mismatch("The file does not start like a PDF (it has no %PDF- header).");
        }

        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions { SkipMissingFonts = true });
            if (document.IsEncrypted)
            {
                throw DocumentErrors.Encrypted("PDF");
            }

            if (document.NumberOfPages > limits.MaxPdfPages)
            {
                throw DocumentErrors.TooLarge(
                    $"The PDF has {document.NumberOfPages} pages; at most {limits.MaxPdfPages} are allowed. " +
                    "Split it into smaller documents.");
            }

            var writer = new SectionWriter(DocumentType.Pdf, limits);
            for (var number = 1; number <= document.NumberOfPages; number++)
            {
                var text = ContentOrderTextExtractor.GetText(document.GetPage(number), TextOptions);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    writer.Heading(1, $"Page {number}");
                    writer.Paragraph(text);
                }
            }

            return writer.Build();
        }
        catch (PdfDocumentEncryptedException)
        {
            throw DocumentErrors.Encrypted("PDF");
        }
        catch (Exception e) when (e is not AgentGridException)
        {
            // PdfPig reports a trailer's /Encrypt it cannot honour in several ways; the key itself is the tell.
            throw span.IndexOf(EncryptKey) >= 0 ? DocumentErrors.Encrypted("PDF") : DocumentErrors.Corrupt("PDF");
        }
    }
}
