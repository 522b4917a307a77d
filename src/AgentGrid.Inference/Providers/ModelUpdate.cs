using AgentGrid.Contracts.Tools;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// One piece of a streamed completion: a text delta, tool calls the model made (whole, as the provider assembled them),
/// and/or the usage the backend reported at the end.
/// </summary>
public readonly record struct ModelUpdate(
    string? Delta, long? InputTokens, long? OutputTokens, string? FinishReason, long? CachedTokens = null, IReadOnlyList<ToolCall>? ToolCalls = null);
