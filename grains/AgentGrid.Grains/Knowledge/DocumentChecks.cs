using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// The checks every file passes before anything of its upload is stored (the front door makes them first): name,
/// size, type and <see cref="DocumentPrecheck"/>'s cheap look at the bytes. Nothing is parsed here.
/// </summary>
public static class DocumentChecks
{
    /// <summary>The file's clean name; throws the file's typed error otherwise.</summary>
    public static string Check(DocumentUpload file, ExtractionLimits limits)
    {
        var maxBytes = limits.MaxFileBytes;
        var name = DocumentNames.Validate(file.Name);
        if (file.Content.LongLength > maxBytes)
        {
            throw new AgentGridException(ErrorCodes.DocumentTooLarge, $"'{name}' is {file.Content.LongLength} bytes; the most is {maxBytes}.", "files");
        }

        DocumentPrecheck.Check(file.Content, DocumentTypes.Resolve(name, file.ContentType), limits);
        return name;
    }

    /// <summary>The short name of a document type, as the API shows it.</summary>
    public static string TypeName(DocumentType type) => type switch
    {
        DocumentType.Text => "txt",
        DocumentType.Markdown => "md",
        DocumentType.Html => "html",
        DocumentType.Docx => "docx",
        DocumentType.Pdf => "pdf",
        _ => type.ToString().ToLowerInvariant(),
    };
}
