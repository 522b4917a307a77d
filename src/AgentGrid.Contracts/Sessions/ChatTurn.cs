namespace AgentGrid.Contracts.Sessions;

/// <summary>
/// The outcome of one send (or approval): the stored user message and the assistant's stored reply, or, while the turn
/// waits for a member to approve tool calls, no reply and the calls that wait.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.chat-turn")]
public sealed record ChatTurn
{
    [Id(0)] public required SessionMessage Message { get; init; }
    [Id(1)] public SessionMessage? Reply { get; init; }

    /// <summary>Prompt tokens as the backend counted them, when it reported them.</summary>
    [Id(2)] public long? InputTokens { get; init; }

    [Id(3)] public long? OutputTokens { get; init; }

    /// <summary>Why the reply ended: <c>stop</c>, or <c>length</c> when it hit the token limit.</summary>
    [Id(4)] public string? FinishReason { get; init; }

    /// <summary>The tool calls the turn waits on; empty once it is answered.</summary>
    [Id(5)] public IReadOnlyList<Tools.ToolCall> PendingApprovals { get; init; } = [];

    /// <summary><c>completed</c>, or <c>awaiting_approval</c> while tool calls wait for a member.</summary>
    public string Status => Reply is null ? "awaiting_approval" : "completed";
}
