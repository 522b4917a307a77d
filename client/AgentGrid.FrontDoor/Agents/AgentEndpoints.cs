using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using AgentGrid.FrontDoor.Paging;

namespace AgentGrid.FrontDoor.Agents;

public static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/agents").WithTags("Agents").RequireAuthorization(Policies.Reader);
        api.MapPost("/", CreateAsync).WithName("CreateAgent").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/", ListAsync).WithName("ListAgents");
        api.MapGet("/{id}", GetAsync).WithName("GetAgent");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateAgent").Audited().RequireAuthorization(Policies.Member);
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteAgent").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/{id}/versions", VersionsAsync).WithName("ListAgentVersions");
        api.MapPost("/{id}/rollback/{version:int}", RollbackAsync).WithName("RollbackAgent").Audited().RequireAuthorization(Policies.Member);
        return api;
    }

    public static async Task<Created<Agent>> CreateAsync(AgentRequest request, GridServices grid)
    {
        var id = GrainKeys.NewId("agt");
        var agent = await grid.Grain<IAgentGrain>(id).CreateAsync(request.ToDefinition());
        return TypedResults.Created($"/api/agents/{id}", agent);
    }

    /// <summary>
    /// A page of the tenant's agents by name (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>), from the tenant's
    /// index alone: no agent is read.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<AgentSummary>>> ListAsync(GridServices grid, HttpContext context) =>
        TypedResults.Ok(Pages.Take(await grid.Grains.GetGrain<IAgentIndexGrain>(grid.Tenant).ListAsync(),
            a => a.Name.ToUpperInvariant() + "\n" + a.Id, Pages.Read(context.Request), context));

    public static async Task<Results<Ok<Agent>, ProblemHttpResult>> GetAsync(string id, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(await grid.Grain<IAgentGrain>(id).GetAsync()) : Problems.AgentNotFound(id);

    public static async Task<Results<Ok<Agent>, ProblemHttpResult>> UpdateAsync(
        string id, AgentRequest request, GridServices grid) =>
        GrainKeys.IsValidId(id)
            ? TypedResults.Ok(await grid.Grain<IAgentGrain>(id).UpdateAsync(request.ToDefinition()))
            : Problems.AgentNotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return Problems.AgentNotFound(id);
        }

        await grid.Grain<IAgentGrain>(id).DeleteAsync();
        return TypedResults.NoContent();
    }

    /// <summary>A page of the agent's versions, oldest first (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>).</summary>
    public static async Task<Results<Ok<IReadOnlyList<AgentVersion>>, ProblemHttpResult>> VersionsAsync(
        string id, GridServices grid, HttpContext context) =>
        GrainKeys.IsValidId(id)
            ? TypedResults.Ok(Pages.Take(await grid.Grain<IAgentGrain>(id).GetVersionsAsync(),
                v => v.Version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), Pages.Read(context.Request), context))
            : Problems.AgentNotFound(id);

    public static async Task<Results<Ok<Agent>, ProblemHttpResult>> RollbackAsync(
        string id, int version, GridServices grid) =>
        GrainKeys.IsValidId(id)
            ? TypedResults.Ok(await grid.Grain<IAgentGrain>(id).RollbackAsync(version))
            : Problems.AgentNotFound(id);
}
