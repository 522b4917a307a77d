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
}
