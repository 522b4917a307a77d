namespace AgentGrid.Contracts.Sessions;

/// <summary>The outcome of one send: the stored user message and the assistant's stored reply.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.chat-turn")]
public sealed record ChatTurn
{
    [Id(0)] public required SessionMessage Message { get; init; }
    [Id(1)] public required SessionMessage Reply { get; init; }

    /// <summary>Prompt tokens as the backend counted them, when it reported them.</summary>
    [Id(2)] public long? InputTokens { get; init; }

    [Id(3)] public long? OutputTokens { get; init; }

    /// <summary>Why the reply ended: <c>stop</c>, or <c>length</c> when it hit the token limit.</summary>
    [Id(4)] public string? FinishReason { get; init; }
}
