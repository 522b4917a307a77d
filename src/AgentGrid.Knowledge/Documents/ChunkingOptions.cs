using AgentGrid.Contracts.Errors;

namespace AgentGrid.Knowledge.Documents;

/// <summary>How <see cref="Chunker"/> cuts a document.</summary>
public sealed record ChunkingOptions
{
    /// <summary>The longest chunk, in characters. Default 1000.</summary>
    public int MaxChars { get; init; } = 1000;

    /// <summary>
    /// About how many characters from the end of a chunk start the next one of the same section, so a passage cut
    /// in two is still found whole. Default 150; must be under half of <see cref="MaxChars"/>.
    /// </summary>
    public int OverlapChars { get; init; } = 150;

    /// <summary>Throws <c>validation_failed</c> naming the first setting out of range.</summary>
    public static void Validate(ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxChars < 1)
        {
            throw AgentGridException.Validation("maxChars", $"The chunk size must be at least 1 character; it is {options.MaxChars}.");
        }

        if (options.OverlapChars < 0 || options.OverlapChars * 2 >= options.MaxChars)
        {
            throw AgentGridException.Validation(
                "overlapChars",
                $"The chunk overlap must be at least 0 and under half the chunk size ({options.MaxChars}); it is {options.OverlapChars}.");
        }
    }
}
