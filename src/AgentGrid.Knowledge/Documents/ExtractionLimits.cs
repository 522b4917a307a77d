namespace AgentGrid.Knowledge.Documents;

/// <summary>How much of a file, and how much work on it, <see cref="DocumentExtractor"/> is willing to take.</summary>
public sealed record ExtractionLimits
{
    /// <summary>The limits used when nothing else is configured.</summary>
    public static ExtractionLimits Default { get; } = new();

    /// <summary>The largest file accepted, in bytes. Default 20 MiB.</summary>
    public long MaxFileBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>
    /// The most a file may expand to: the unpacked parts of a .docx, and the characters of text extracted from any
    /// format. Default 64 MiB.
    /// </summary>
    public long MaxExpandedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The most pages a PDF may have. Default 2000.</summary>
    public int MaxPdfPages { get; init; } = 2000;

    /// <summary>The most one compressed stream of a PDF may decode to, each stage of its filters alike. Default 64 MiB.</summary>
    public long MaxDecodedStreamBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The most all the streams of one PDF may decode to together. Default 256 MiB.</summary>
    public long MaxDecodedDocumentBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How deeply a PDF's objects may nest (arrays in dictionaries in arrays...). Default 100.</summary>
    public int MaxPdfNesting { get; init; } = 100;

    /// <summary>The longest reading one file's text may take. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
