using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Grains.Knowledge;

/// <summary>The checks every file passes before anything of its upload is stored (the front door also extracts its text first).</summary>
public static class DocumentChecks
{
    /// <summary>The file's clean name; throws the file's typed error otherwise.</summary>
    public static string Check(DocumentUpload file, long maxBytes)
    {
        var name = DocumentNames.Validate(file.Name);
        if (file.Content.LongLength > maxBytes)
        {
            throw new AgentGridException(ErrorCodes.DocumentTooLarge, $"'{name}' is {file.Content.LongLength} bytes; the most is {maxBytes}.", "files");
        }

        DocumentTypes.Resolve(name, file.ContentType);
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
