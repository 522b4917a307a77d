namespace AgentGrid.Contracts.Identity;

/// <summary>The one list of tenants and of which tenant owns each key id (key <see cref="Key"/>); admin operations only.</summary>
[Alias("agentgrid.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("add-tenant")] Task AddTenantAsync(string tenantId);

    [Alias("tenants")] Task<IReadOnlyList<string>> ListTenantsAsync();

    [Alias("add-key")] Task AddKeyAsync(string keyId, string tenantId);

    /// <summary>The tenant that owns the key id, or null.</summary>
    [Alias("tenant-of")] Task<string?> TenantOfKeyAsync(string keyId);
}
