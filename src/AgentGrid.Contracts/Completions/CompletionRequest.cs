using AgentGrid.Contracts.Agents;

namespace AgentGrid.Contracts.Completions;

/// <summary>A stateless completion: a configured model, a whole prompt and its sampling parameters.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.completion-request")]
public sealed record CompletionRequest
{
    [Id(0)] public required string Model { get; init; }
    [Id(1)] public required IReadOnlyList<PromptMessage> Messages { get; init; }
    [Id(2)] public ModelParameters Parameters { get; init; } = new();
}
