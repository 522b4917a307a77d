using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>Knowledge-base limits and defaults, bound from <c>AgentGrid:Knowledge</c>.</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "AgentGrid:Knowledge";

    /// <summary>Largest file accepted, in bytes. Default: 20 MiB.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Most files in one upload. Default: 20.</summary>
    public int MaxFilesPerUpload { get; set; } = 20;

    /// <summary>Most documents in one knowledge base. Default: 100,000.</summary>
    public int MaxDocuments { get; set; } = 100_000;

    /// <summary>Shards a new knowledge base spreads its chunks over (fixed for its life). Default: 4.</summary>
    public int Shards { get; set; } = 4;

    /// <summary>Texts embedded per call while ingesting. Default: 32.</summary>
    public int EmbeddingBatch { get; set; } = 32;

    /// <summary>Documents of one tenant ingested at once on one silo; the rest wait <c>queued</c>. Default: 2.</summary>
    public int IngestionsPerTenant { get; set; } = 2;

    /// <summary>Files whose text is extracted at once on one silo, all tenants together. Default: the silo's processor count.</summary>
    public int ExtractionsPerSilo { get; set; } = Environment.ProcessorCount;

    /// <summary>The longest extracting one file's text may take before it fails with <c>document_timeout</c>. Default: 60 seconds.</summary>
    public TimeSpan ExtractionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most one compressed stream of a file may decode to (<c>document_too_complex</c> past it). Default: 64 MiB.</summary>
    public long MaxDecodedStreamBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most all compressed streams of one file may decode to together. Default: 256 MiB.</summary>
    public long MaxDecodedDocumentBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The extraction limits these options set.</summary>
    public AgentGrid.Knowledge.Documents.ExtractionLimits ExtractionLimits => AgentGrid.Knowledge.Documents.ExtractionLimits.Default with
    {
        MaxFileBytes = MaxFileBytes, Timeout = ExtractionTimeout,
        MaxDecodedStreamBytes = MaxDecodedStreamBytes, MaxDecodedDocumentBytes = MaxDecodedDocumentBytes,
    };
}

public sealed class KnowledgeOptionsValidator : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFileBytes is < 1024 or > 256L * 1024 * 1024)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:MaxFileBytes must be between 1 KiB and 256 MiB.");
        }

        if (options.MaxFilesPerUpload is < 1 or > 1000)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:MaxFilesPerUpload must be between 1 and 1000.");
        }

        if (options.MaxDocuments < 1)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:MaxDocuments must be positive.");
        }

        if (options.Shards is < 1 or > 256)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:Shards must be between 1 and 256.");
        }

        if (options.EmbeddingBatch is < 1 or > 512)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:EmbeddingBatch must be between 1 and 512.");
        }

        if (options.IngestionsPerTenant is < 1 or > 64)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:IngestionsPerTenant must be between 1 and 64.");
        }

        if (options.ExtractionsPerSilo is < 1 or > 256)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:ExtractionsPerSilo must be between 1 and 256.");
        }

        if (options.ExtractionTimeout < TimeSpan.FromSeconds(1) || options.ExtractionTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{KnowledgeOptions.SectionName}:ExtractionTimeout must be between 1 second and 1 hour.");
        }

        if (options.MaxDecodedStreamBytes < 64 * 1024 || options.MaxDecodedDocumentBytes < options.MaxDecodedStreamBytes)
        {
            failures.Add($"{KnowledgeOptions.SectionName}:MaxDecodedStreamBytes must be at least 64 KiB and MaxDecodedDocumentBytes at least MaxDecodedStreamBytes.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
