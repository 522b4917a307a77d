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

    /// <summary><c>endpoint</c> (configured, called directly) or <c>profile</c> (served by inference workers).</summary>
    [Id(7)] public string Kind { get; init; } = "endpoint";

    /// <summary>For a profile: its ready workers.</summary>
    [Id(8)] public int? ReadyWorkers { get; init; }
}
