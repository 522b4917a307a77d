namespace AgentGrid.Knowledge.Documents;

/// <summary>How much of a file <see cref="DocumentExtractor"/> is willing to read.</summary>
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
}
