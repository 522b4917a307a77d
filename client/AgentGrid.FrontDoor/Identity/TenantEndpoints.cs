using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>Tenants, with the limits and budget that cover all their keys together (admin only).</summary>
public static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/tenants").WithTags("Tenants").RequireAuthorization(Policies.Admin);
        api.MapPost("/", CreateAsync).WithName("CreateTenant");
        api.MapGet("/", ListAsync).WithName("ListTenants");
        api.MapGet("/{id}", GetAsync).WithName("GetTenant");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateTenant");
        return api;
    }

    public static async Task<Created<Tenant>> CreateAsync(CreateTenantRequest request, GridServices grid, IOptions<DefaultLimitsOptions> defaults)
    {
        if (!GrainKeys.IsValidId(request.Id))
        {
            throw AgentGridException.Validation("id", $"id is required: letters, digits, '_' and '-', at most {GrainKeys.MaxIdLength} characters.");
        }

        if (request.Name is { Length: > 100 })
        {
            throw AgentGridException.Validation("name", "name must be at most 100 characters.");
        }

        QuotaRules.Validate(request.Limits, request.Budget);
        var limits = request.Limits is not null ? (request.Limits.IsEmpty ? null : request.Limits) : defaults.Value.TenantLimits.ToLimits();
        var budget = request.Budget ?? defaults.Value.TenantBudget.ToBudget();
        var tenant = await grid.Grains.GetGrain<ITenantGrain>(request.Id!)
            .CreateAsync(string.IsNullOrWhiteSpace(request.Name) ? request.Id! : request.Name.Trim(), limits, budget);
        return TypedResults.Created($"/api/tenants/{tenant.Id}", tenant);
    }

    /// <summary>A page of the tenants in id order (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's are read.</summary>
    public static async Task<Ok<IReadOnlyList<Tenant>>> ListAsync(GridServices grid, HttpContext context)
    {
        var page = Paging.Pages.Read(context.Request);
        var ids = Paging.Pages.Take(await grid.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListTenantsAsync(), id => id, page, context);
        var tenants = await Task.WhenAll(ids.Select(id => grid.Grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return TypedResults.Ok<IReadOnlyList<Tenant>>(tenants);
    }

    public static async Task<Ok<Tenant>> GetAsync(string id, GridServices grid) =>
        TypedResults.Ok(await Tenant(id, grid).GetAsync());

    public static async Task<Ok<Tenant>> UpdateAsync(string id, UpdateTenantRequest request, GridServices grid)
    {
        QuotaRules.Validate(request.Limits, request.Budget);
        if (request.Name is { Length: > 100 })
        {
            throw AgentGridException.Validation("name", "name must be at most 100 characters.");
        }

        return TypedResults.Ok(await Tenant(id, grid).UpdateAsync(request.Name, request.Limits, request.Budget));
    }

    private static ITenantGrain Tenant(string id, GridServices grid) => GrainKeys.IsValidId(id)
        ? grid.Grains.GetGrain<ITenantGrain>(id)
        : throw new AgentGridException(ErrorCodes.TenantNotFound, $"Tenant '{id}' does not exist.");
}
