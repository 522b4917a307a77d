using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>Decides a file's <see cref="DocumentType"/> from its name and the content type it was sent with.</summary>
public static class DocumentTypes
{
    private static readonly Dictionary<string, DocumentType> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = DocumentType.Text,
        [".text"] = DocumentType.Text,
        [".md"] = DocumentType.Markdown,
        [".markdown"] = DocumentType.Markdown,
        [".htm"] = DocumentType.Html,
        [".html"] = DocumentType.Html,
        [".docx"] = DocumentType.Docx,
        [".pdf"] = DocumentType.Pdf,
    };

    private static readonly Dictionary<string, DocumentType> ByContentType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = DocumentType.Text,
        ["text/markdown"] = DocumentType.Markdown,
        ["text/x-markdown"] = DocumentType.Markdown,
        ["text/html"] = DocumentType.Html,
        ["application/xhtml+xml"] = DocumentType.Html,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = DocumentType.Docx,
        ["application/pdf"] = DocumentType.Pdf,
        ["application/x-pdf"] = DocumentType.Pdf,
    };

    /// <summary>
    /// The type named by the file's extension, or by <paramref name="contentType"/> when the extension is missing or
    /// unknown. Throws <c>unsupported_document_type</c> when neither names a supported type, and
    /// <c>document_type_mismatch</c> when the content type names a different type than the extension.
    /// <c>application/octet-stream</c> and an empty content type say nothing and are ignored.
    /// </summary>
    public static DocumentType Resolve(string fileName, string? contentType)
    {
        var extension = Path.GetExtension(fileName ?? "");
        var declared = MediaType(contentType);
        var byType = declared is null ? (DocumentType?)null : ByContentType.TryGetValue(declared, out var t) ? t : null;

        if (ByExtension.TryGetValue(extension, out var byName))
        {
            if (byType is { } typed && !Compatible(byName, typed))
            {
                throw new AgentGridException(
                    ErrorCodes.DocumentTypeMismatch,
                    $"'{fileName}' has the extension {extension.ToLowerInvariant()} but was sent as {declared}. " +
                    "Send it with its real content type, or rename it to match its content.");
            }

            return byName;
        }

        return byType ?? throw new AgentGridException(
            ErrorCodes.UnsupportedDocumentType,
            $"'{fileName}' is not a supported document type ({(declared ?? "no content type")}). " +
            "Upload .txt, .md, .html, .docx or .pdf files.");
    }

    // Browsers and tools often send text/plain for any text file (.md, .html), which is not a contradiction.
    private static bool Compatible(DocumentType byName, DocumentType byType) =>
        byName == byType || (byType == DocumentType.Text && byName is DocumentType.Markdown or DocumentType.Html);

    private static string? MediaType(string? contentType)
    {
        var mediaType = contentType?.Split(';', 2)[0].Trim();
        return string.IsNullOrEmpty(mediaType) || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            ? null
            : mediaType.ToLowerInvariant();
    }
}
