using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>A tenant's record and its keys. Its limits and budget are enforced by its <see cref="IQuotaGrain"/>.</summary>
public sealed class TenantGrain(
    [PersistentState("tenant", GridNames.StateStore)] IPersistentState<TenantState> state,
    TimeProvider time) : Grain, ITenantGrain
{
    private string Id => this.GetPrimaryKeyString();

    public Task<Tenant> CreateAsync(string name) => CreateAsync(name, null, null);

    public async Task<Tenant> CreateAsync(string name, RateLimits? limits, Budget? budget)
    {
        if (state.State.Tenant is not null)
        {
            throw new AgentGridException(ErrorCodes.TenantExists, $"Tenant '{Id}' already exists.", "id");
        }

        if (limits is not null || budget is not null)
        {
            // Limits first, then the tenant: none of its keys can be used before they apply.
            await GrainFactory.GetGrain<IQuotaGrain>(QuotaKeys.ForTenant(Id)).ConfigureAsync(limits, budget);
        }

        return await StoreAsync(name, limits, budget);
    }

    public Task<Tenant> EnsureAsync(string name) => StoreAsync(name, null, null);

    private async Task<Tenant> StoreAsync(string name, RateLimits? limits, Budget? budget)
    {
        if (state.State.Tenant is { } existing)
        {
            return existing;
        }

        // Listed first: a tenant that is stored but not listed could never be found by an admin.
        await GrainFactory.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).AddTenantAsync(Id);
        state.State.Tenant = new Tenant { Id = Id, Name = name, CreatedAt = time.GetUtcNow(), Limits = limits, Budget = budget };
        await this.WriteOrDeactivateAsync(state);
        return state.State.Tenant;
    }

    public Task<Tenant> GetAsync() => Task.FromResult(Existing());

    public async Task<Tenant> UpdateAsync(string? name, RateLimits? limits, Budget? budget)
    {
        var tenant = Existing() with { Name = name ?? Existing().Name, Limits = limits, Budget = budget };
        await GrainFactory.GetGrain<IQuotaGrain>(QuotaKeys.ForTenant(Id)).ConfigureAsync(limits, budget);
        state.State.Tenant = tenant;
        await this.WriteOrDeactivateAsync(state);
        return tenant;
    }

    public async Task AddKeyAsync(string keyId, string keyHash)
    {
        Existing();
        if (state.State.Keys.TryAdd(keyId, keyHash))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync()
    {
        var keys = await Task.WhenAll(state.State.Keys.Values.Select(hash => GrainFactory.GetGrain<IApiKeyGrain>(hash).GetAsync()));
        return [.. keys.OfType<ApiKey>().OrderBy(k => k.CreatedAt)];
    }

    public async Task<ApiKey?> RevokeKeyAsync(string keyId) =>
        state.State.Keys.TryGetValue(keyId, out var hash) ? await GrainFactory.GetGrain<IApiKeyGrain>(hash).RevokeAsync() : null;

    private Tenant Existing() =>
        state.State.Tenant ?? throw new AgentGridException(ErrorCodes.TenantNotFound, $"Tenant '{Id}' does not exist.");
}

public sealed class TenantState
{
    public Tenant? Tenant { get; set; }

    /// <summary>Key id → the keyed hash that addresses its <see cref="IApiKeyGrain"/>.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
