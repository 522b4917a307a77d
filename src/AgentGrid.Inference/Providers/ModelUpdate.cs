namespace AgentGrid.Inference.Providers;

/// <summary>One piece of a streamed completion: a text delta, and/or the usage the backend reported at the end.</summary>
public readonly record struct ModelUpdate(string? Delta, long? InputTokens, long? OutputTokens, string? FinishReason, long? CachedTokens = null);
