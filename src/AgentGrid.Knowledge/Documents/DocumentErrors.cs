using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>The refusals of <see cref="DocumentExtractor"/>, worded so the uploader knows what to fix.</summary>
internal static class DocumentErrors
{
    private const string RenameHint = "Check that the file's extension matches its content.";

    public static AgentGridException NotText(string what) => new(
        ErrorCodes.DocumentTypeMismatch,
        $"The file is not readable {what}: it holds binary data or text that is neither UTF-8 nor UTF-16. {RenameHint}");

    public static AgentGridException Mismatch(string message) =>
        new(ErrorCodes.DocumentTypeMismatch, $"{message} {RenameHint}");

    public static AgentGridException Corrupt(string what, string? detail = null) => new(
        ErrorCodes.DocumentCorrupt,
        $"The {what} cannot be read: it is damaged, incomplete or not valid{(detail is null ? "" : $" ({detail})")}. " +
        "Open it in the program that made it, save it again and upload the new file.");

    public static AgentGridException Encrypted(string what) => new(
        ErrorCodes.DocumentEncrypted,
        $"The {what} is password-protected or encrypted. Remove the protection, save it and upload it again.");

    public static AgentGridException TooLarge(string message) => new(ErrorCodes.DocumentTooLarge, message);

    public static AgentGridException ExpandsTooFar(long limit) => TooLarge(
        $"The Word document expands too far when unpacked (over {Size(limit)}, or compressed over 100 to 1), " +
        "which is how a zip bomb looks. Split it into smaller documents.");

    public static AgentGridException Empty(DocumentType type) => new(
        ErrorCodes.DocumentEmpty,
        type == DocumentType.Pdf
            ? "The PDF holds no text to index. A scanned PDF needs text recognition (OCR) before upload."
            : "The file holds no text to index.");

    public static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes:N0} bytes";
}
