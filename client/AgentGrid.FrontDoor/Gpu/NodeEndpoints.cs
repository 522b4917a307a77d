using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Gpu;

public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/nodes").WithTags("GPU nodes").RequireAuthorization(Identity.Policies.Admin);
        api.MapGet("/", ListAsync).WithName("ListNodes");
        api.MapGet("/{id}", GetAsync).WithName("GetNode");
        return api;
    }

    /// <summary>A page of the GPU nodes by id (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>).</summary>
    public static async Task<Ok<IReadOnlyList<GpuNode>>> ListAsync(GridServices grid, HttpContext context) =>
        TypedResults.Ok(Paging.Pages.Take(await grid.Grains.GetGrain<IGpuSchedulerGrain>(0).ListNodesAsync(), n => n.NodeId, Paging.Pages.Read(context.Request), context));

    public static async Task<Results<Ok<GpuNode>, ProblemHttpResult>> GetAsync(string id, GridServices grid) =>
        (await grid.Grains.GetGrain<IGpuSchedulerGrain>(0).ListNodesAsync()).FirstOrDefault(n => n.NodeId == id) is { } node
            ? TypedResults.Ok(node)
            : Problems.Create(ErrorCodes.NodeNotFound, $"GPU node '{id}' is not known.");
}
