using AgentGrid.Contracts;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>Lists tenants and which tenant owns each key id. Only admin operations reach it, never a model call.</summary>
public sealed class TenantDirectoryGrain(
    [PersistentState("tenant-directory", GridNames.StateStore)] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryGrain
{
    public async Task AddTenantAsync(string tenantId)
    {
        if (state.State.Tenants.Add(tenantId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<IReadOnlyList<string>> ListTenantsAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Tenants.Order(StringComparer.Ordinal)]);

    public async Task AddKeyAsync(string keyId, string tenantId)
    {
        if (state.State.KeyTenants.TryAdd(keyId, tenantId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<string?> TenantOfKeyAsync(string keyId) =>
        Task.FromResult(state.State.KeyTenants.GetValueOrDefault(keyId));
}

public sealed class TenantDirectoryState
{
    public HashSet<string> Tenants { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> KeyTenants { get; set; } = new(StringComparer.Ordinal);
}
