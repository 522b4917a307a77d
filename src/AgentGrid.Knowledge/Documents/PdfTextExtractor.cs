using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// A PDF: one section per page with text, headed <c>Page N</c>, paragraphs as the layout suggests. Every stream is
/// decoded within the extraction's budget and objects nest only so deep, so a small file cannot make it inflate
/// gigabytes or recurse without end.
/// </summary>
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

    /// <summary>Refuses a file without the PDF header where readers look for it.</summary>
    public static void CheckHeader(ReadOnlySpan<byte> span)
    {
        if (span[..Math.Min(span.Length, HeaderWindow + Header.Length)].IndexOf(Header) < 0)
        {
            throw DocumentErrors.Mismatch("The file does not start like a PDF (it has no %PDF- header).");
        }
    }

    /// <summary>
    /// Whether a trailer (or cross-reference stream) names a security handler: <c>/Encrypt</c> followed by a
    /// reference or a dictionary. Trailers are never compressed, so this needs no parsing.
    /// </summary>
    public static bool DeclaresEncryption(ReadOnlySpan<byte> span)
    {
        for (var at = span.IndexOf(EncryptKey); at >= 0;)
        {
            var rest = span[(at + EncryptKey.Length)..].TrimStart(" \t\r\n"u8);
            if (rest.Length > 0 && (char.IsAsciiDigit((char)rest[0]) || rest.StartsWith("<<"u8)))
            {
                return true;
            }

            var next = span[(at + EncryptKey.Length)..].IndexOf(EncryptKey);
            at = next < 0 ? -1 : at + EncryptKey.Length + next;
        }

        return false;
    }

    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, ExtractionBudget budget)
    {
        var limits = budget.Limits;
        var span = content.Span;
        CheckHeader(span);

        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions
            {
                SkipMissingFonts = true,
                FilterProvider = new BoundedFilterProvider(budget),
                MaxStackDepth = limits.MaxPdfNesting,
            });
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

            var writer = new SectionWriter(DocumentType.Pdf, budget);
            for (var number = 1; number <= document.NumberOfPages; number++)
            {
                budget.Check();
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
        catch (PdfDocumentStackDepthException)
        {
            throw budget.TooDeep();
        }
        catch (Exception) when (budget.Refusal is { } refusal)
        {
            throw refusal;
        }
        catch (Exception e) when (e is not AgentGridException)
        {
            // PdfPig reports a trailer's /Encrypt it cannot honour in several ways; the key itself is the tell.
            throw span.IndexOf(EncryptKey) >= 0 ? DocumentErrors.Encrypted("PDF") : DocumentErrors.Corrupt("PDF");
        }
    }
}
