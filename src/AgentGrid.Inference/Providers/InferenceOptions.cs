using AgentGrid.Inference.Simulator;

namespace AgentGrid.Inference.Providers;

/// <summary>The models the grid can call, bound from <c>AgentGrid:Inference</c>.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "AgentGrid:Inference";

    /// <summary>The model name used when the built-in simulator stands in for a real backend.</summary>
    public const string SimulatorModelName = "simulator";

    /// <summary>Models by the name agents use for them. Default: none, which starts the built-in simulator.</summary>
    public Dictionary<string, ModelEndpointOptions> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The model of agents that name none. Default: the only configured model, or <c>simulator</c>.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>How long <c>GET /api/models</c> waits for each backend to answer. Default: 2 seconds.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether the built-in simulator runs in-process as the model <c>simulator</c>.
    /// Default: null, meaning only when no model is configured.
    /// </summary>
    public bool? UseSimulator { get; set; }

    /// <summary>
    /// Prices per million tokens by model name (a configured model, <c>simulator</c> or a profile, whose own
    /// <c>pricing</c> this overrides), used for cost budgets and the usage ledger. Default: none, which costs nothing
    /// and which a USD budget refuses.
    /// </summary>
    public Dictionary<string, ModelPrice> Pricing { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The most output tokens one call may ask for; a larger <c>max_tokens</c> is capped to it, and a call that names
    /// none is sent with it, so a call's worst case is always known. Default: 4096.
    /// </summary>
    public int MaxOutputTokens { get; set; } = 4096;

    /// <summary>
    /// The context window assumed for a model whose own is not known (no <c>Models:&lt;name&gt;:ContextLength</c>, no
    /// <c>max_model_len</c> or <c>max_total_tokens</c> in its profile). Default: 8192 tokens.
    /// </summary>
    public int ContextLength { get; set; } = 8192;

    /// <summary>The in-process simulator's behaviour.</summary>
    public SimulatorOptions Simulator { get; set; } = new();

    public bool SimulatorEnabled => UseSimulator ?? Models.Count == 0;

    /// <summary>The most output one call to <paramref name="model"/> may ask for: its own limit, within the grid's.</summary>
    public int MaxOutputTokensOf(string model) =>
        Math.Min(MaxOutputTokens, Models.TryGetValue(model, out var endpoint) && endpoint.MaxOutputTokens is { } own ? own : MaxOutputTokens);

    public string ResolvedDefaultModel =>
        DefaultModel
        ?? (Models.Count == 1 && !SimulatorEnabled ? Models.Keys.Single() : null)
        ?? (SimulatorEnabled ? SimulatorModelName : Models.Keys.Order(StringComparer.Ordinal).First());
}
