namespace AgentGrid.Inference.Providers;

/// <summary>A finished completion: its text and the token counts the backend reported.</summary>
public sealed record ModelReply(string Text, long? InputTokens, long? OutputTokens, string? FinishReason);
