namespace AgentGrid.Contracts.Completions;

/// <summary>
/// One message of a prompt: <c>system</c>, <c>user</c>, <c>assistant</c> (which may call tools) or <c>tool</c> (a call's
/// result, naming the call it answers), and its text.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.prompt-message")]
public sealed record PromptMessage([property: Id(0)] string Role, [property: Id(1)] string Content)
{
    /// <summary>On an assistant message: the tools it called.</summary>
    [Id(2)] public IReadOnlyList<Tools.ToolCall>? ToolCalls { get; init; }

    /// <summary>On a tool message: the call it answers.</summary>
    [Id(3)] public string? ToolCallId { get; init; }
}
