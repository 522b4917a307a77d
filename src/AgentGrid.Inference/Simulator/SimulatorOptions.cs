namespace AgentGrid.Inference.Simulator;

/// <summary>How the inference simulator behaves; every latency is per request.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Address to listen on. Default: 127.0.0.1 (loopback only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free one. Default: 0.</summary>
    public int Port { get; set; }

    /// <summary>Model ids the simulator serves; others get 404. Default: <c>agentgrid-simulator</c>.</summary>
    public List<string> Models { get; set; } = [DefaultModelId];

    /// <summary>Delay before the first token. Default: 100 ms.</summary>
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Delay between tokens after the first. Default: 15 ms.</summary>
    public TimeSpan InterTokenLatency { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Tokens in each reply, unless the request's max_tokens is lower. Default: 40.</summary>
    public int TokensPerReply { get; set; } = 40;

    /// <summary>Requests generated at once; more wait in arrival order. Default: 64.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Prefill time per prompt token not found in the prefix cache; TTFT grows with prompt length. Default: 0.</summary>
    public TimeSpan PrefillPerToken { get; set; } = TimeSpan.Zero;

    /// <summary>Extra TTFT and inter-token latency per other request generating at the same time (batch interference). Default: 0.</summary>
    public TimeSpan LoadPenaltyPerRequest { get; set; } = TimeSpan.Zero;

    /// <summary>Whether repeated prompt prefixes skip prefill, as vLLM's automatic prefix caching does. Default: true.</summary>
    public bool PrefixCaching { get; set; } = true;

    /// <summary>
    /// KV-cache capacity in tokens: a request holds prompt plus reply tokens while it generates and waits while
    /// they do not fit; a request larger than the whole cache is refused with 400. 0 means unlimited. Default: 0.
    /// </summary>
    public int KvCacheTokens { get; set; }

    /// <summary>
    /// When set, <c>/v1</c>, <c>/sim</c>, <c>/info</c> and <c>/api</c> requests must send it as a bearer token (a worker's
    /// server checks its key). Without one, <c>/sim</c> is refused and the host must be a loopback address. The embedded
    /// simulator gets a random one at each start. Default: none.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, the simulator also serves <c>POST /v1/embeddings</c>: deterministic unit vectors of this length. Default: none.</summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>
    /// Whether it also answers as Ollama does (<c>GET /</c>, <c>POST /api/pull</c>, <c>POST /api/generate</c> with <c>keep_alive</c>,
    /// <c>GET /api/ps</c>), serving each model once pulled: it stands in for <c>ollama serve</c>. Default: false.
    /// </summary>
    public bool OllamaApi { get; set; }

    /// <summary>How long the server takes to "load the model" before it listens, as a real server does. Default: 0.</summary>
    public TimeSpan LoadTime { get; set; } = TimeSpan.Zero;

    /// <summary>Failure injection; also changeable at run time with <c>PUT /sim/faults</c>.</summary>
    public SimulatorFaults Faults { get; set; } = new();

    public const string DefaultModelId = "agentgrid-simulator";
}
