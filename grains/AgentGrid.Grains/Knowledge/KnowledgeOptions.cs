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

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
