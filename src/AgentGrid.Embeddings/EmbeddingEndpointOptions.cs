namespace AgentGrid.Embeddings;

/// <summary>
/// An OpenAI-compatible <c>/v1/embeddings</c> backend (TEI, Ollama, vLLM, OpenAI, another AgentGrid), bound from
/// <c>AgentGrid:Inference:Embeddings:&lt;name&gt;</c>; knowledge bases and <c>/v1/embeddings</c> use it by that name.
/// </summary>
public sealed class EmbeddingEndpointOptions
{
    /// <summary>The built-in model's name (all-MiniLM-L6-v2, run in the silo); no configured backend may take it.</summary>
    public const string BuiltInModel = "all-MiniLM-L6-v2";

    /// <summary>Base URL including the API version, e.g. <c>http://localhost:8080/v1</c>. Required.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The model id sent to the backend. Default: the configured name.</summary>
    public string? Model { get; set; }

    /// <summary>The length of the vectors it makes. Required: knowledge-base indexes are sized by it.</summary>
    public int Dimensions { get; set; }

    /// <summary>API key sent as a bearer token. Default: none. Prefer <see cref="ApiKeyEnvironmentVariable"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Name of an environment variable holding the API key. Default: none.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>How long one call may take. Default: 1 minute.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
}
