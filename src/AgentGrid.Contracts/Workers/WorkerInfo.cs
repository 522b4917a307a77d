namespace AgentGrid.Contracts.Workers;

/// <summary>One model instance on one node, and how it is doing.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.worker")]
public sealed record WorkerInfo
{
    [Id(0)] public required string WorkerId { get; init; }
    [Id(1)] public required string Model { get; init; }
    [Id(2)] public required string NodeId { get; init; }
    [Id(3)] public IReadOnlyList<int> GpuIndexes { get; init; } = [];
    [Id(4)] public long ReservedMiBPerGpu { get; init; }
    [Id(5)] public required string State { get; init; }

    /// <summary>The model server's OpenAI-compatible base URL once loading has started.</summary>
    [Id(6)] public string? Endpoint { get; init; }

    /// <summary>Why it failed or stopped.</summary>
    [Id(7)] public string? Reason { get; init; }
    [Id(8)] public DateTimeOffset StateSince { get; init; }

    /// <summary>The silo the worker runs on (its node's silo).</summary>
    [Id(9)] public string? Silo { get; init; }

    /// <summary>The model id to send to the server (the profile's source model id or served name).</summary>
    [Id(10)] public string? ServedModel { get; init; }

    /// <summary>The key its launched server requires (null for attached servers and runtimes without keys); never serialized to JSON.</summary>
    [Id(11), System.Text.Json.Serialization.JsonIgnore] public ServerKey? ApiKey { get; init; }

    /// <summary>GPU memory its server's processes use, per GPU, as nvidia-smi last reported (null where nvidia-smi is absent).</summary>
    [Id(12)] public long? ObservedMiBPerGpu { get; init; }

    /// <summary>How often its server crashed and was restarted in this worker's life.</summary>
    [Id(13)] public int Restarts { get; init; }

    /// <summary>The runtime that serves it (a profile's <c>container.runtime</c>, or <c>attached</c>).</summary>
    [Id(14)] public string? Runtime { get; init; }
}
