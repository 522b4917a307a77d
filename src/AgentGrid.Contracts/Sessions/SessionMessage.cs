namespace AgentGrid.Contracts.Sessions;

/// <summary>One stored message of a session's history.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-message")]
public sealed record SessionMessage
{
    [Id(0)] public required string Id { get; init; }

    /// <summary><c>user</c>, <c>assistant</c>, or <c>tool</c> (a tool call's result).</summary>
    [Id(1)] public required string Role { get; init; }
    [Id(2)] public required string Content { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The message's place in the history, from 1; pages of history are read <c>before</c> an index.</summary>
    [Id(4)] public long Index { get; init; }

    /// <summary>The knowledge-base passages a reply drew on, best first; absent when none was retrieved.</summary>
    [Id(5)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Knowledge.Citation>? Citations { get; init; }

    /// <summary>On an assistant message: the tools the model called instead of (or before) answering.</summary>
    [Id(6)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Tools.ToolCall>? ToolCalls { get; init; }

    /// <summary>On a tool message: the call it answers.</summary>
    [Id(7)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolCallId { get; init; }

    /// <summary>On a tool message: how the call ended (<c>success</c>, <c>error</c>, <c>timeout</c>, <c>denied</c>).</summary>
    [Id(8)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Tools.ToolExecutionStatus? ToolStatus { get; init; }

    /// <summary>Whether this is the reply that ends a turn (an assistant message that calls no tool).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsReply => Role == MessageRoles.Assistant && ToolCalls is not { Count: > 0 };
}
