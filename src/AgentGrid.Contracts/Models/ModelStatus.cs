namespace AgentGrid.Contracts.Models;

/// <summary>A configured model endpoint and whether it answered a probe just now.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.model-status")]
public sealed record ModelStatus
{
    [Id(0)] public required string Name { get; init; }

    /// <summary>The model id sent to the backend.</summary>
    [Id(1)] public required string UpstreamModel { get; init; }
    [Id(2)] public required string BaseUrl { get; init; }
    [Id(3)] public bool IsDefault { get; init; }

    /// <summary>True when the model is served by the built-in simulator.</summary>
    [Id(4)] public bool Simulated { get; init; }
    [Id(5)] public bool Available { get; init; }
    [Id(6)] public string? Error { get; init; }

    /// <summary><see cref="ModelKinds.Endpoint"/> (configured, called directly) or <see cref="ModelKinds.Profile"/> (served by inference workers).</summary>
    [Id(7)] public string Kind { get; init; } = ModelKinds.Endpoint;

    /// <summary>For a profile: its ready workers.</summary>
    [Id(8)] public int? ReadyWorkers { get; init; }

    /// <summary>What the model can do (<c>text</c>, <c>tools</c>, <c>vision</c>, <c>embeddings</c>, ...); null for an endpoint that declares nothing (it is sent anything).</summary>
    [Id(9)] public IReadOnlyList<string>? Capabilities { get; init; }
}

/// <summary>What a model name stands for, as the API writes it.</summary>
public static class ModelKinds
{
    /// <summary>A configured endpoint (<c>AgentGrid:Inference:Models</c>), called directly.</summary>
    public const string Endpoint = "endpoint";

    /// <summary>A model profile, served by its worker pool.</summary>
    public const string Profile = "profile";
}
