namespace AgentGrid.Contracts.Sessions;

/// <summary>One stored message of a session's history.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-message")]
public sealed record SessionMessage
{
    [Id(0)] public required string Id { get; init; }

    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    [Id(1)] public required string Role { get; init; }
    [Id(2)] public required string Content { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The message's place in the history, from 1; pages of history are read <c>before</c> an index.</summary>
    [Id(4)] public long Index { get; init; }

    /// <summary>The knowledge-base passages a reply drew on, best first; absent when none was retrieved.</summary>
    [Id(5)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Knowledge.Citation>? Citations { get; init; }
}
