namespace AgentGrid.Contracts.Completions;

/// <summary>One message of a prompt: <c>system</c>, <c>user</c> or <c>assistant</c>, and its text.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.prompt-message")]
public sealed record PromptMessage([property: Id(0)] string Role, [property: Id(1)] string Content);
