namespace AgentGrid.Contracts.Memory;

/// <summary>A fact an agent remembers about one end user, across sessions.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent-memory")]
public sealed record AgentMemory
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Text { get; init; }

    /// <summary>The end user it is about: an API key id, or a name the caller gave.</summary>
    [Id(2)] public required string User { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>api</c> (saved explicitly) or <c>extracted</c> (taken from a conversation by the agent's model).</summary>
    [Id(4)] public required string Source { get; init; }

    /// <summary>How well it matched, in search results.</summary>
    [Id(5)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Score { get; init; }
}

public static class MemorySources
{
    public const string Api = "api";
    public const string Extracted = "extracted";
}
