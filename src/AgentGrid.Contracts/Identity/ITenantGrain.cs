namespace AgentGrid.Contracts.Identity;

/// <summary>One tenant, keyed by its id: its record and the ids (and hashes) of its keys.</summary>
[Alias("agentgrid.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; <c>tenant_exists</c> if it already does.</summary>
    [Alias("create")] Task<Tenant> CreateAsync(string name);

    /// <summary>
    /// Creates the tenant with its limits and budget (enforced before the tenant is stored); <c>tenant_exists</c> if it
    /// already does.
    /// </summary>
    [Alias("create-with-limits")] Task<Tenant> CreateAsync(string name, RateLimits? limits, Budget? budget);

    /// <summary>Creates the tenant if it does not exist yet, and returns it.</summary>
    [Alias("ensure")] Task<Tenant> EnsureAsync(string name);

    /// <summary><c>tenant_not_found</c> if it does not exist.</summary>
    [Alias("get")] Task<Tenant> GetAsync();

    [Alias("update")] Task<Tenant> UpdateAsync(string? name, RateLimits? limits, Budget? budget);

    /// <summary>Records a key of this tenant: its id and the hash that addresses its <see cref="IApiKeyGrain"/>.</summary>
    [Alias("add-key")] Task AddKeyAsync(string keyId, string keyHash);

    /// <summary>Every key of the tenant (revoked ones too).</summary>
    [Alias("keys")] Task<IReadOnlyList<ApiKey>> ListKeysAsync();

    /// <summary>Revokes one of its keys; null if the tenant has no key with this id.</summary>
    [Alias("revoke-key")] Task<ApiKey?> RevokeKeyAsync(string keyId);
}
