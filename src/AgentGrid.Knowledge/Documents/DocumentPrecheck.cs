using System.Text.Unicode;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// The checks an upload passes at once, before anything of it is stored: what is cheap to tell from the bytes
/// (size, signature, a zip's directory, valid text) without parsing. Extraction proper happens later, once, where
/// its work is bounded and queued; a file that fails there ends <c>failed</c> with its code.
/// </summary>
public static class DocumentPrecheck
{
    /// <summary>Throws the file's typed error (the same codes as <see cref="DocumentExtractor"/>) if it is refused.</summary>
    public static void Check(ReadOnlyMemory<byte> content, DocumentType type, ExtractionLimits limits)
    {
        if (content.Length > limits.MaxFileBytes)
        {
            throw DocumentErrors.TooLarge(
                $"The file is {content.Length:N0} bytes; at most {DocumentErrors.Size(limits.MaxFileBytes)} are allowed.");
        }

        switch (type)
        {
            case DocumentType.Pdf:
                PdfTextExtractor.CheckHeader(content.Span);
                if (PdfTextExtractor.DeclaresEncryption(content.Span))
                {
                    throw DocumentErrors.Encrypted("PDF");
                }

                break;
            case DocumentType.Docx:
                try
                {
                    DocxTextExtractor.CheckPackage(content, limits).Dispose();
                }
                catch (InvalidDataException)
                {
                    throw DocumentErrors.Corrupt("Word document");
                }

                break;
            default:
                // An HTML page may declare a single-byte charset, so only its NULs tell it from text.
                if (!LooksLikeText(content.Span, strictUtf8: type != DocumentType.Html))
                {
                    throw DocumentErrors.NotText(type switch { DocumentType.Html => "HTML", DocumentType.Markdown => "Markdown", _ => "text" });
                }

                break;
        }
    }

    /// <summary>UTF-16 with a byte order mark, or valid UTF-8 (with or without one) holding no NUL.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> bytes, bool strictUtf8) => bytes switch
    {
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => true,
        _ => bytes.IndexOf((byte)0) < 0 && (!strictUtf8 || Utf8.IsValid(bytes)),
    };
}
