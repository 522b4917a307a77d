using System.Security.Cryptography;
using System.Text;
using OpenAI.Chat;

namespace AgentGrid.Inference.Providers;

/// <summary>
/// vLLM's <c>cache_salt</c>: a request reuses cached prefix blocks only of requests with the same salt. The grid sends one
/// per tenant to the servers that take it, so a tenant can never learn from time to first token whether another tenant
/// sent a prompt (a shared system prompt, say); within a tenant prefix caching works as before. Callers cannot set it.
/// </summary>
public static class CacheSalts
{
    /// <summary>The runtimes whose servers take <c>cache_salt</c> (and refuse nothing for it).</summary>
    public static bool TakenBy(string? runtime) => runtime is Contracts.Profiles.ModelRuntimes.Vllm or Contracts.Profiles.ModelRuntimes.Simulator;

    /// <summary>The tenant's salt: a hash of its id, the same on every silo and restart, so its own cache stays warm.</summary>
    public static string For(string tenant) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("agentgrid-cache-salt/" + tenant)), 0, 24);

#pragma warning disable SCME0001 // JsonPatch: the supported way to send a field the SDK has no property for.
    public static ChatCompletionOptions Apply(ChatCompletionOptions options, string salt)
    {
        options.Patch.Set("$.cache_salt"u8, salt);
        return options;
    }
#pragma warning restore SCME0001
}
