namespace AgentGrid.Contracts.Profiles;

/// <summary>
/// A model profile: what a model is, where it comes from, which runtime serves it, and what it needs
/// from a GPU node. Loaded from YAML files or created through the API; agents name it as their model.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile")]
public sealed record ModelProfile
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public required string Category { get; init; }
    [Id(3)] public required ModelSource Source { get; init; }
    [Id(4)] public required ModelContainer Container { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    [Id(6)] public required ModelResources Resources { get; init; }
    [Id(7)] public required ModelPerformance Performance { get; init; }
    [Id(8)] public IReadOnlyList<string> Tags { get; init; } = [];
    [Id(9)] public string? Notes { get; init; }
    [Id(10)] public IReadOnlyList<ModelBenchmark> Benchmarks { get; init; } = [];
    [Id(11)] public required ModelScaling Scaling { get; init; }

    /// <summary>Where the profile came from: <c>file:&lt;path&gt;</c> or <c>api</c>.</summary>
    [Id(12)] public string Origin { get; init; } = "api";

    /// <summary>What a call costs, for cost budgets and the usage ledger; null when the profile names no prices.</summary>
    [Id(13)] public ModelPricing? Pricing { get; init; }

    /// <summary>The profile format's <c>version</c> as written (e.g. <c>1.0</c>); informational.</summary>
    [Id(14)] public string? Version { get; init; }

    /// <summary>
    /// What the model can do (<see cref="ModelCapabilities"/>): routing sends a request that needs one only to models that have it.
    /// As written in the profile (unknown ones kept), or the defaults of its <see cref="Category"/>.
    /// </summary>
    // A profile stored before capabilities existed has none written: it gets its category's defaults, as a file without them does.
    public IReadOnlyList<string> Capabilities { get => _capabilities.Count > 0 ? _capabilities : ModelCapabilities.DefaultsFor(Category); init => _capabilities = value; }

    [Id(15)] private readonly IReadOnlyList<string> _capabilities = [];

    /// <summary>The vector length of an embedding profile; null for other models.</summary>
    [Id(16)] public int? Dimensions { get; init; }

    /// <summary>
    /// The runtime blocks as written (<c>vllm:</c>, <c>tgi:</c>, <c>tei:</c>, <c>llama_cpp:</c>, <c>sglang:</c>, <c>ollama:</c>), by runtime:
    /// typed settings that the launcher turns into the server's flags, and extra arguments passed as they are.
    /// </summary>
    [Id(17)] public IReadOnlyDictionary<string, RuntimeSettings> RuntimeBlocks { get; init; } = new Dictionary<string, RuntimeSettings>();

    /// <summary>What the profile asks for that its runtime cannot do as written, and what is done instead (it still loads).</summary>
    [Id(18)] public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the model has <paramref name="capability"/>.</summary>
    public bool Can(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}

/// <summary>One runtime block of a profile: known settings (validated, as text) and arguments passed to the server as they are.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.runtime-settings")]
public sealed record RuntimeSettings(
    [property: Id(0)] IReadOnlyDictionary<string, string> Settings,
    [property: Id(1)] IReadOnlyList<string> ExtraArgs);

/// <summary>The capabilities that routing knows; a profile may list others, which are kept and shown.</summary>
public static class ModelCapabilities
{
    public const string Text = "text";
    public const string Tools = "tools";
    public const string Vision = "vision";
    public const string Embeddings = "embeddings";

    /// <summary>What a profile that lists none can do, by its category: embedding models embed, every other model chats and calls tools.</summary>
    public static IReadOnlyList<string> DefaultsFor(string category) => category == "embedding" ? [Embeddings] : [Text, Tools];
}

/// <summary>Prices in USD per million input and output tokens.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.pricing")]
public sealed record ModelPricing([property: Id(0)] decimal InputPerMillionUsd, [property: Id(1)] decimal OutputPerMillionUsd);

/// <summary>Where the weights come from: <c>huggingface</c>, <c>ollama</c>, <c>local</c> (a path on the node) or <c>openai</c>.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.source")]
public sealed record ModelSource([property: Id(0)] string Type, [property: Id(1)] string ModelId, [property: Id(2)] string? Revision);

/// <summary>
/// The model server that runs it (one of <see cref="ModelRuntimes"/>). <see cref="Image"/> is for Kubernetes and ignored by a
/// process launch; <see cref="Command"/> is a <c>custom</c> runtime's command line with placeholders; <see cref="Environment"/>
/// is added to the server's environment; <see cref="LoadTimeoutSeconds"/> bounds how long loading may take.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.container")]
public sealed record ModelContainer(
    [property: Id(0)] string Runtime,
    [property: Id(1)] string? Image,
    [property: Id(2)] IReadOnlyList<string>? Command = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Environment = null,
    [property: Id(4)] int LoadTimeoutSeconds = ModelContainer.DefaultLoadTimeoutSeconds)
{
    /// <summary>Thirty minutes: a 70B model's first download and load.</summary>
    public const int DefaultLoadTimeoutSeconds = 1800;
}

/// <summary>
/// GPU needs. Memory is in MiB and counts all <see cref="GpuCount"/> GPUs together: each GPU must
/// have <c>GpuMemoryMinMiB / GpuCount</c> free (tensor parallelism splits the weights evenly).
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.resources")]
public sealed record ModelResources(
    [property: Id(0)] long GpuMemoryMinMiB,
    [property: Id(1)] long GpuMemoryRecommendedMiB,
    [property: Id(2)] int GpuCount,
    [property: Id(3)] double CpuCores = 0,
    [property: Id(4)] long RamMiB = 0)
{
    /// <summary>What one GPU must have free to hold its share.</summary>
    public long PerGpuMiB => (GpuMemoryMinMiB + GpuCount - 1) / GpuCount;
}

/// <summary>
/// How much one instance serves at once; more requests wait in its queue up to <see cref="MaxQueue"/>. The serving knobs
/// (<see cref="WaitingServedRatio"/>, <see cref="MaxBatchPrefillTokens"/>, <see cref="MaxBatchTotalTokens"/>) go to runtimes that have them.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.performance")]
public sealed record ModelPerformance(
    [property: Id(0)] int MaxBatchSize,
    [property: Id(1)] int MaxConcurrentRequests,
    [property: Id(2)] int MaxQueue,
    [property: Id(3)] double? WaitingServedRatio = null,
    [property: Id(4)] int? MaxBatchPrefillTokens = null,
    [property: Id(5)] int? MaxBatchTotalTokens = null);

[GenerateSerializer, Immutable, Alias("agentgrid.profile.benchmark")]
public sealed record ModelBenchmark([property: Id(0)] string Name, [property: Id(1)] string Value);

/// <summary>Replica targets for the autoscaler and the routing policy of the model's pool.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.scaling")]
public sealed record ModelScaling
{
    [Id(0)] public int MinReplicas { get; init; }
    [Id(1)] public int MaxReplicas { get; init; } = 1;

    /// <summary>Requests in flight per replica (running and queued) that the autoscaler aims for.</summary>
    [Id(2)] public int TargetInFlightPerReplica { get; init; }

    /// <summary>Time to first token the autoscaler aims for; null ignores TTFT.</summary>
    [Id(3)] public int? TargetTtftMs { get; init; }

    /// <summary>With no request for this long and <see cref="MinReplicas"/> 0, the pool scales to zero; null never.</summary>
    [Id(4)] public int? ScaleToZeroAfterSeconds { get; init; }

    /// <summary>Least time between two scaling decisions.</summary>
    [Id(5)] public int CooldownSeconds { get; init; } = 30;

    /// <summary><c>least-loaded</c> (load with session/prefix affinity) or <c>round-robin</c>.</summary>
    [Id(6)] public string Routing { get; init; } = RoutingPolicies.LeastLoaded;
}

public static class RoutingPolicies
{
    public const string LeastLoaded = "least-loaded";
    public const string RoundRobin = "round-robin";
    public static readonly IReadOnlyList<string> All = [LeastLoaded, RoundRobin];
}
