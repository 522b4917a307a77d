using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using AgentGrid.FrontDoor.Paging;

namespace AgentGrid.FrontDoor.Tools;

/// <summary>MCP servers a tenant attaches over streamable HTTP; their tools become the tenant's tools (kind <c>mcp</c>).</summary>
public static class McpServerEndpoints
{
    public static RouteGroupBuilder MapMcpServersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/mcp-servers").WithTags("Tools").RequireAuthorization(Policies.Reader);
        api.MapPost("/", AttachAsync).WithName("AttachMcpServer").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/", ListAsync).WithName("ListMcpServers");
        api.MapGet("/{id}", GetAsync).WithName("GetMcpServer");
        api.MapPost("/{id}/refresh", RefreshAsync).WithName("RefreshMcpServer").Audited().RequireAuthorization(Policies.Member);
        api.MapDelete("/{id}", DeleteAsync).WithName("DetachMcpServer").Audited().RequireAuthorization(Policies.Member);
        return api;
    }

    public static async Task<Created<McpServer>> AttachAsync(AttachMcpServerRequest request, GridServices grid)
    {
        var id = GrainKeys.NewId("mcp");
        var server = await grid.Grain<IMcpServerGrain>(id).AttachAsync(new McpServerDefinition
        {
            Name = request.Name ?? "", Url = request.Url ?? "", Headers = request.Headers ?? [],
        });
        return TypedResults.Created($"/api/mcp-servers/{id}", server);
    }

    /// <summary>A page of the tenant's MCP servers in id order (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's are read.</summary>
    public static async Task<Ok<McpServerList>> ListAsync(GridServices grid, HttpContext context)
    {
        var page = Pages.Read(context.Request);
        var ids = Pages.Take(await grid.Grains.GetGrain<IMcpServerIndexGrain>(grid.Tenant).ListAsync(), id => id, page, context);
        var servers = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await grid.Grain<IMcpServerGrain>(id).GetAsync();
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.McpServerNotFound)
            {
                // Listed by an attach that is still under way or that failed and is being undone.
                return null;
            }
        }));
        return TypedResults.Ok(new McpServerList([.. servers.OfType<McpServer>()]));
    }

    public static async Task<Results<Ok<McpServer>, ProblemHttpResult>> GetAsync(string id, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(await grid.Grain<IMcpServerGrain>(id).GetAsync()) : NotFound(id);

    public static async Task<Results<Ok<McpServer>, ProblemHttpResult>> RefreshAsync(string id, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(await grid.Grain<IMcpServerGrain>(id).RefreshAsync()) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        await grid.Grain<IMcpServerGrain>(id).DeleteAsync();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(string id) => Problems.Create(ErrorCodes.McpServerNotFound, $"MCP server '{id}' was not found.");
}

public sealed record AttachMcpServerRequest
{
    public string? Name { get; init; }
    public string? Url { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
}

public sealed record McpServerList(IReadOnlyList<McpServer> Servers);
