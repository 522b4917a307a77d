namespace AgentGrid.Embeddings;

/// <summary>The embedding backends, bound from <c>AgentGrid:Inference:Embeddings</c> (beside the models they share the section with).</summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "AgentGrid:Inference";

    /// <summary>OpenAI-compatible embedding backends by name, beside the built-in all-MiniLM-L6-v2. Default: none.</summary>
    public Dictionary<string, EmbeddingEndpointOptions> Embeddings { get; set; } = new(StringComparer.Ordinal);
}
