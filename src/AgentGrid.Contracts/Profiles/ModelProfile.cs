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
}

/// <summary>Prices in USD per million input and output tokens.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.pricing")]
public sealed record ModelPricing([property: Id(0)] decimal InputPerMillionUsd, [property: Id(1)] decimal OutputPerMillionUsd);

/// <summary>Where the weights come from: <c>huggingface</c>, <c>ollama</c>, <c>local</c> or <c>openai</c>.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.source")]
public sealed record ModelSource([property: Id(0)] string Type, [property: Id(1)] string ModelId, [property: Id(2)] string? Revision);

/// <summary>The model server that runs it: <c>tgi</c>, <c>vllm</c>, <c>ollama</c>, <c>openai</c> or <c>simulator</c>.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.container")]
public sealed record ModelContainer([property: Id(0)] string Runtime, [property: Id(1)] string? Image);

/// <summary>
/// GPU needs. Memory is in MiB and counts all <see cref="GpuCount"/> GPUs together: each GPU must
/// have <c>GpuMemoryMinMiB / GpuCount</c> free (tensor parallelism splits the weights evenly).
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.resources")]
public sealed record ModelResources(
    [property: Id(0)] long GpuMemoryMinMiB,
    [property: Id(1)] long GpuMemoryRecommendedMiB,
    [property: Id(2)] int GpuCount)
{
    /// <summary>What one GPU must have free to hold its share.</summary>
    public long PerGpuMiB => (GpuMemoryMinMiB + GpuCount - 1) / GpuCount;
}

/// <summary>How much one instance serves at once; more requests wait in its queue up to <see cref="MaxQueue"/>.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.performance")]
public sealed record ModelPerformance(
    [property: Id(0)] int MaxBatchSize,
    [property: Id(1)] int MaxConcurrentRequests,
    [property: Id(2)] int MaxQueue);

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
