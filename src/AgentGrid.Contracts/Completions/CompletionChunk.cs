namespace AgentGrid.Contracts.Completions;

/// <summary>A piece of a streamed completion: text, and at the end the finish reason and token counts.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.completion-chunk")]
public sealed record CompletionChunk
{
    [Id(0)] public string? Delta { get; init; }
    [Id(1)] public string? FinishReason { get; init; }
    [Id(2)] public long? InputTokens { get; init; }
    [Id(3)] public long? OutputTokens { get; init; }

    /// <summary>On the last chunk of a session reply: the knowledge-base passages it drew on.</summary>
    [Id(4)] public IReadOnlyList<Knowledge.Citation>? Citations { get; init; }

    /// <summary>Tools the model called (whole calls, as the provider assembled them).</summary>
    [Id(5)] public IReadOnlyList<Tools.ToolCall>? ToolCalls { get; init; }
}
