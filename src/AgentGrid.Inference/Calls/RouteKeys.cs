using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// The keys a pool routes by: the conversation (affinity) and the shared prompt prefix, both within one tenant. Two
/// tenants with the same system prompt are never steered to a worker because of each other, so neither can learn from
/// a warm KV cache's speed what the other sent.
/// </summary>
public static class RouteKeys
{
    public static string Affinity(string? tenant, string affinityKey) => tenant is null ? affinityKey : $"{tenant}|{affinityKey}";

    /// <summary>The shared part of prompts: the system prompt every conversation with one agent starts with.</summary>
    public static string? Prefix(string? tenant, IList<ChatMessage> messages) =>
        messages.Count > 0 && messages[0].Role == ChatRole.System
            ? $"{tenant}|system:{messages[0].Text.Length}:{Fnv1a.Hash(messages[0].Text)}"
            : null;
}
