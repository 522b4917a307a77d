namespace AgentGrid.Contracts.Identity;

/// <summary>
/// One API key, keyed by the keyed hash of the key (hex), so that finding a key's record needs the key itself.
/// </summary>
[Alias("agentgrid.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Stores a new key; idempotent for the same id, refused for another.</summary>
    [Alias("register")] Task RegisterAsync(ApiKey key);

    /// <summary>
    /// The key if it exists and is usable now (not revoked, not expired), recording its use; else null. Not interleaved:
    /// an activation that holds no key reads its state again first (see <c>ApiKeyGrain</c>). Front doors remember
    /// answers, so this is called about once per key, front door and few seconds.
    /// </summary>
    [Alias("authenticate")] Task<ApiKey?> AuthenticateAsync();

    /// <summary>The key's record, usable or not; null if there is none.</summary>
    [Alias("get")] [Orleans.Concurrency.AlwaysInterleave] Task<ApiKey?> GetAsync();

    /// <summary>Revokes the key for good; returns its record, or null if there was none.</summary>
    [Alias("revoke")] Task<ApiKey?> RevokeAsync();
}
