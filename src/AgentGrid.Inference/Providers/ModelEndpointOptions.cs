namespace AgentGrid.Inference.Providers;

/// <summary>One OpenAI-compatible backend serving one model (vLLM, TGI, Ollama, LM Studio, llama.cpp, OpenAI).</summary>
public sealed class ModelEndpointOptions
{
    /// <summary>Base URL including the API version, e.g. <c>http://localhost:11434/v1</c>. Required.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The model id sent to the backend. Default: the model's configured name.</summary>
    public string? Model { get; set; }

    /// <summary>API key sent as a bearer token. Default: none. Prefer <see cref="ApiKeyEnvironmentVariable"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Name of an environment variable holding the API key. Default: none.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>
    /// The most output tokens this model may be asked for in one call (its server's own limit); a larger
    /// <c>max_tokens</c> is capped to it. Default: <c>AgentGrid:Inference:MaxOutputTokens</c>.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>
    /// The model's context window in tokens (prompt and reply together); sessions keep their prompts inside it.
    /// Default: <c>AgentGrid:Inference:ContextLength</c>.
    /// </summary>
    public int? ContextLength { get; set; }

    /// <summary>
    /// How to count the model's tokens: <c>o200k_base</c> or <c>cl100k_base</c>. Default: chosen from the model id
    /// (GPT-4o/4.1/5 and o-series: o200k; GPT-4 and 3.5: cl100k); other models are estimated.
    /// </summary>
    public string? Tokenizer { get; set; }

    /// <summary>
    /// What the model can do (<c>text</c>, <c>tools</c>, <c>vision</c>, <c>embeddings</c>): requests that need something else are refused
    /// with <c>model_capability_missing</c>. Default: none listed, and every request is sent.
    /// </summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>How long one request to the backend may take. Default: 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
}
