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

    /// <summary>Who the call is for: its limits, budget and usage ledger.</summary>
    [Id(3)] public required Identity.Caller Caller { get; init; }

    /// <summary>The agent whose prompt and parameters the request carries, if any.</summary>
    [Id(4)] public string? AgentId { get; init; }

    /// <summary>Tools the model may call; the caller runs them and sends their results back as tool messages.</summary>
    [Id(5)] public IReadOnlyList<Tools.ToolDeclaration>? Tools { get; init; }

    /// <summary><c>auto</c>, <c>none</c>, <c>required</c>, or the name of the tool the model must call.</summary>
    [Id(6)] public string? ToolChoice { get; init; }
}
