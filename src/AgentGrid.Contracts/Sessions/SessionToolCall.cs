namespace AgentGrid.Contracts.Sessions;

/// <summary>One tool call of a session as its history tells it: the call, how it ended, and its output or error.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-tool-call")]
public sealed record SessionToolCall
{
    [Id(0)] public required Tools.ToolCall Call { get; init; }

    /// <summary><c>success</c>, <c>error</c>, <c>timeout</c>, <c>denied</c>, <c>awaiting_approval</c>, or <c>unanswered</c> (its turn was cut off).</summary>
    [Id(1)] public required string Status { get; init; }

    /// <summary>The output (JSON) or the error, as the model was told.</summary>
    [Id(2)] public string? Result { get; init; }
    [Id(3)] public DateTimeOffset CalledAt { get; init; }
    [Id(4)] public DateTimeOffset? EndedAt { get; init; }
}
