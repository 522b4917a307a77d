using AgentGrid.Contracts.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Models;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/models").WithTags("Models").RequireAuthorization(Identity.Policies.Reader);
        api.MapGet("/", ListAsync).WithName("ListModels");
        return api;
    }

    /// <summary>Configured models, each probed unless <c>probe=false</c>.</summary>
    public static async Task<Ok<IReadOnlyList<ModelStatus>>> ListAsync(GridServices grid, bool probe = true) =>
        TypedResults.Ok(await grid.Grains.GetGrain<IModelCatalogGrain>(0).ListAsync(probe));
}
