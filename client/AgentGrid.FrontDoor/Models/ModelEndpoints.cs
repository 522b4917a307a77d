using AgentGrid.Contracts.Models;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/models").WithTags("Models").RequireAuthorization(Policies.Reader);
        api.MapGet("/", ListAsync).WithName("ListModels");
        return api;
    }

    /// <summary>
    /// Configured models, each probed unless <c>probe=false</c>. Only admins see where a model is served and why it
    /// does not answer: backend addresses and error text are the operators' business.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<ModelStatus>>> ListAsync(GridServices grid, bool probe = true)
    {
        var models = await grid.Grains.GetGrain<IModelDirectoryGrain>(0).ListAsync(probe);
        return TypedResults.Ok(grid.Role == Contracts.Identity.Role.Admin
            ? models
            : (IReadOnlyList<ModelStatus>)[.. models.Select(m => m with { BaseUrl = "", UpstreamModel = "", Error = m.Error is null ? null : "The model does not answer." })]);
    }
}
