using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>API keys (admin only) and <c>GET /api/me</c>, which tells any key who it is.</summary>
public static class KeyEndpoints
{
    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/me", MeAsync).WithTags("Keys").WithName("GetCurrentKey").RequireAuthorization(Policies.Reader);
        var api = routes.MapGroup("/api/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateAsync).WithName("CreateKey");
        api.MapGet("/", ListAsync).WithName("ListKeys");
        api.MapDelete("/{id}", RevokeAsync).WithName("RevokeKey");
        return api;
    }

    public static async Task<Ok<CurrentKey>> MeAsync(GridServices grid)
    {
        var tenant = await grid.Grains.GetGrain<ITenantGrain>(grid.Tenant).GetAsync();
        var keyId = grid.KeyId!;
        var quota = await grid.Grains.GetGrain<IQuotaGrain>(QuotaKeys.ForKey(keyId)).GetStatusAsync();
        return TypedResults.Ok(new CurrentKey(keyId, grid.User.Identity?.Name ?? "", grid.Role, tenant.Id, tenant.Name, quota, grid.Owner, grid.SeesWholeTenant));
    }

    public static async Task<Created<CreatedKey>> CreateAsync(
        CreateKeyRequest request, GridServices grid, KeyHasher hasher, KeyLookup lookup, TimeProvider time, IOptions<DefaultLimitsOptions> defaults)
    {
        request.Validate(time.GetUtcNow());
        var tenantId = request.Tenant ?? grid.Tenant;
        if (request.Role == Role.Admin && tenantId != GridNames.DefaultTenant)
        {
            // Admins run the whole grid (every tenant's keys and usage, the GPU control plane): they belong to the
            // operators' tenant, not to a customer's.
            throw AgentGridException.Validation("role", $"Admin keys belong to tenant '{GridNames.DefaultTenant}'; give tenant '{tenantId}' member or reader keys.");
        }

        // Fails with tenant_not_found before anything is stored.
        var tenant = grid.Grains.GetGrain<ITenantGrain>(GrainKeys.IsValidId(tenantId) ? tenantId : throw TenantNotFound(tenantId));
        await tenant.GetAsync();

        var key = KeyHasher.NewKey();
        var hash = hasher.Hash(key);
        var record = new ApiKey
        {
            Id = GrainKeys.NewId("key"),
            Name = request.Name!.Trim(),
            Prefix = KeyHasher.PrefixOf(key),
            Role = request.Role!.Value,
            Tenant = tenantId,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = request.ExpiresAt,
            // Left out: the configured defaults, except for admins (operators and benchmarks); limits {} means none.
            Limits = request.Limits is not null ? (request.Limits.IsEmpty ? null : request.Limits)
                : request.Role == Role.Admin ? null : defaults.Value.KeyLimits.ToLimits(),
            Budget = request.Budget ?? (request.Role == Role.Admin ? null : defaults.Value.KeyBudget.ToBudget()),
            CreatedBy = grid.KeyId,
            Owner = request.Owner,
            Permissions = [.. (request.Permissions ?? []).Distinct()],
        };

        // Limits first, then the key: a key is never usable before its limits apply.
        await grid.Grains.GetGrain<IQuotaGrain>(QuotaKeys.ForKey(record.Id)).ConfigureAsync(record.Limits, record.Budget);
        await grid.Grains.GetGrain<IApiKeyGrain>(hash).RegisterAsync(record);
        await grid.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).AddKeyAsync(record.Id, tenantId);
        await tenant.AddKeyAsync(record.Id, hash);
        lookup.Forget(hash);
        return TypedResults.Created($"/api/keys/{record.Id}", CreatedKey.Of(record, key));
    }

    /// <summary>
    /// A page of the keys (of one tenant with <c>tenant</c>), by tenant then creation (<c>limit</c>, <c>after</c>,
    /// <c>Link: rel="next"</c>): tenants are read one at a time, only until the page is full.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<ApiKey>>> ListAsync(string? tenant, GridServices grid, HttpContext context)
    {
        var page = Paging.Pages.Read(context.Request);
        var tenants = tenant is not null
            ? [tenant]
            : await grid.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListTenantsAsync();
        var afterTenant = page.After?.Split('\n')[0];
        var keys = new List<ApiKey>();
        foreach (var id in tenants.Where(GrainKeys.IsValidId).Order(StringComparer.Ordinal))
        {
            if (afterTenant is not null && StringComparer.Ordinal.Compare(id, afterTenant) < 0)
            {
                continue;
            }

            try
            {
                keys.AddRange(await grid.Grains.GetGrain<ITenantGrain>(id).ListKeysAsync());
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.TenantNotFound)
            {
            }

            // One more than the page tells whether another follows.
            if (keys.Count(k => After(page, SortKey(k))) > page.Limit)
            {
                break;
            }
        }

        return TypedResults.Ok(Paging.Pages.Take(keys, SortKey, page, context));
    }

    private static string SortKey(ApiKey key) => key.Tenant + "\n" + Paging.Pages.ByTime(key.CreatedAt, key.Id);

    private static bool After(Paging.PageQuery page, string key) => page.After is null || StringComparer.Ordinal.Compare(key, page.After) > 0;

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, GridServices grid, KeyLookup directory)
    {
        var tenant = GrainKeys.IsValidId(id) ? await grid.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).TenantOfKeyAsync(id) : null;
        if (tenant is null || await grid.Grains.GetGrain<ITenantGrain>(tenant).RevokeKeyAsync(id) is null)
        {
            return Problems.Create(ErrorCodes.KeyNotFound, $"Key '{id}' does not exist.");
        }

        directory.ForgetKey(id);
        return TypedResults.NoContent();
    }

    private static AgentGridException TenantNotFound(string id) => new(ErrorCodes.TenantNotFound, $"Tenant '{id}' does not exist.", "tenant");
}

/// <summary>
/// What <c>GET /api/me</c> answers. <see cref="Owner"/>: whose sessions, memories and tool-call logs the key makes and
/// sees (the person it was made for, or the key itself); <see cref="TenantWide"/>: it sees every owner's.
/// </summary>
public sealed record CurrentKey(string Id, string Name, Role Role, string Tenant, string TenantName, QuotaStatus Quota, string Owner, bool TenantWide);
