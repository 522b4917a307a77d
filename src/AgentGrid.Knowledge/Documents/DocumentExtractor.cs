using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Reads the text of an uploaded file, keeping the structure its headings give it. Every refusal is an
/// <see cref="AgentGridException"/> with one of the document codes (<c>document_type_mismatch</c>,
/// <c>document_encrypted</c>, <c>document_corrupt</c>, <c>document_too_large</c>, <c>document_empty</c>,
/// <c>document_too_complex</c>, <c>document_timeout</c>); nothing a parser throws escapes any other way.
/// </summary>
public static class DocumentExtractor
{
    /// <summary>Extracts the sections of <paramref name="content"/>, the whole file, read as <paramref name="type"/>.</summary>
    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, DocumentType type, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using var deadline = new CancellationTokenSource(limits.Timeout);
        return Extract(content, type, new ExtractionBudget(limits, deadline.Token));
    }

    /// <summary>
    /// Extracts within <paramref name="budget"/>, whose counters then say how much decoding the file took (and whose
    /// refusal, if any, is what this throws).
    /// </summary>
    public static ExtractedDocument Extract(ReadOnlyMemory<byte> content, DocumentType type, ExtractionBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var limits = budget.Limits;
        if (content.Length > limits.MaxFileBytes)
        {
            throw DocumentErrors.TooLarge(
                $"The file is {content.Length:N0} bytes; at most {DocumentErrors.Size(limits.MaxFileBytes)} are allowed.");
        }

        try
        {
            var extracted = type switch
            {
                DocumentType.Text => PlainTextExtractor.Extract(content.Span, budget),
                DocumentType.Markdown => MarkdownTextExtractor.Extract(content.Span, budget),
                DocumentType.Html => HtmlTextExtractor.Extract(content.Span, budget),
                DocumentType.Docx => DocxTextExtractor.Extract(content, budget),
                DocumentType.Pdf => PdfTextExtractor.Extract(content, budget),
                _ => throw new AgentGridException(ErrorCodes.UnsupportedDocumentType, $"'{type}' is not a supported document type."),
            };
            budget.Check();
            return extracted;
        }
        catch (Exception) when (budget.Refusal is { } refusal)
        {
            // A parser may have caught the refusal and failed some other way (or read on past it).
            throw refusal;
        }
        catch (Exception e) when (e is not AgentGridException)
        {
            // A parser's own exception means the file is not valid for its type; what it says is not for the uploader.
            throw DocumentErrors.Corrupt(Describe(type));
        }
    }

    private static string Describe(DocumentType type) => type switch
    {
        DocumentType.Docx => "Word document",
        DocumentType.Pdf => "PDF",
        DocumentType.Html => "HTML page",
        DocumentType.Markdown => "Markdown file",
        _ => "text file",
    };
}
