using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>Checks the name a document is stored and shown under.</summary>
public static class DocumentNames
{
    /// <summary>The longest name accepted, in UTF-16 characters.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Returns the trimmed name, or throws <c>invalid_document_name</c> (field <c>files</c>) for a name that is empty,
    /// longer than <see cref="MaxLength"/>, a path (<c>/</c>, <c>\</c>, <c>.</c>, <c>..</c>), or holds a control
    /// character or a character that reorders how text is displayed (which can disguise an extension).
    /// </summary>
    public static string Validate(string name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw Invalid("A document name is required.");
        }

        if (trimmed.Length > MaxLength)
        {
            throw Invalid($"The document name is {trimmed.Length} characters long; at most {MaxLength} are allowed.");
        }

        if (trimmed is "." or "..")
        {
            throw Invalid($"'{trimmed}' is not a document name.");
        }

        if (trimmed.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw Invalid("A document name cannot contain '/' or '\\'; send the file name without its folder.");
        }

        if (trimmed.Any(IsForbidden))
        {
            throw Invalid("A document name cannot contain control characters, line separators or text-direction overrides.");
        }

        return trimmed;
    }

    private static bool IsForbidden(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static AgentGridException Invalid(string message) => new(ErrorCodes.InvalidDocumentName, message, "files");
}
