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

/// <summary>A tenant's tools: define them, run one directly with a JSON input, read its execution log.</summary>
public static class ToolEndpoints
{
    public static RouteGroupBuilder MapToolsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/tools").WithTags("Tools").RequireAuthorization(Policies.Reader);
        api.MapPost("/", CreateAsync).WithName("CreateTool").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/", ListAsync).WithName("ListTools");
        api.MapGet("/{id}", GetAsync).WithName("GetTool");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateTool").Audited().RequireAuthorization(Policies.Member);
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteTool").Audited().RequireAuthorization(Policies.Member);
        api.MapPost("/{id}/invoke", InvokeAsync).WithName("InvokeTool").RequireAuthorization(Policies.Member);
        api.MapGet("/{id}/executions", ExecutionsAsync).WithName("ListToolExecutions");
        return api;
    }

    public static async Task<Created<ToolView>> CreateAsync(ToolRequest request, GridServices grid)
    {
        var id = GrainKeys.NewId("tool");
        var tool = await grid.Grain<IToolGrain>(id).CreateAsync(request.ToDefinition());
        return TypedResults.Created($"/api/tools/{id}", ToolView.Of(tool));
    }

    /// <summary>A page of the tenant's tools in id order (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's tools are read.</summary>
    public static async Task<Ok<ToolList>> ListAsync(GridServices grid, HttpContext context)
    {
        var page = Pages.Read(context.Request);
        var ids = Pages.Take(await grid.Grains.GetGrain<IToolIndexGrain>(grid.Tenant).ListAsync(), id => id, page, context);
        var tools = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await grid.Grain<IToolGrain>(id).GetAsync();
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
            {
                // Listed by a create that is still under way or being undone.
                return null;
            }
        }));
        return TypedResults.Ok(new ToolList([.. tools.OfType<Tool>().Select(ToolView.Of)]));
    }

    public static async Task<Results<Ok<ToolView>, ProblemHttpResult>> GetAsync(string id, GridServices grid) =>
        GrainKeys.IsValidId(id) ? TypedResults.Ok(ToolView.Of(await grid.Grain<IToolGrain>(id).GetAsync())) : NotFound(id);

    public static async Task<Results<Ok<ToolView>, ProblemHttpResult>> UpdateAsync(string id, ToolRequest request, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        // Another tenant's id answers 404 before the body is judged, exactly as a missing one.
        var tool = grid.Grain<IToolGrain>(id);
        var current = await tool.GetAsync();
        if (current.Definition.McpServerId is { } server)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, $"This tool comes from MCP server '{server}': refresh or detach the server instead.", "kind");
        }

        return TypedResults.Ok(ToolView.Of(await tool.UpdateAsync(request.ToDefinition())));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        await grid.Grain<IToolGrain>(id).DeleteAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Runs the tool now; 200 with the execution record whether the tool succeeded or failed, 400 for input its schema refuses.</summary>
    public static async Task<Results<Ok<ToolExecutionView>, ProblemHttpResult>> InvokeAsync(string id, InvokeToolRequest request, GridServices grid)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        var input = request.Input is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } given ? given.GetRawText() : "{}";
        var execution = await grid.Grain<IToolGrain>(id).InvokeAsync(input, new ToolCallContext(grid.KeyId, Owner: grid.Owner));
        return TypedResults.Ok(ToolExecutionView.Of(execution));
    }

    /// <summary>
    /// The tool's runs, newest first and paged (<c>limit</c>, 50 by default and at most 500; <c>after</c>; <c>Link: rel="next"</c>):
    /// the caller's owner's only, unless the caller sees the whole tenant.
    /// </summary>
    public static async Task<Results<Ok<ToolExecutionList>, ProblemHttpResult>> ExecutionsAsync(string id, GridServices grid, HttpContext context)
    {
        if (!GrainKeys.IsValidId(id))
        {
            return NotFound(id);
        }

        var page = Paging.Pages.Read(context.Request, 50, 500);
        var found = await grid.Grain<IToolGrain>(id).ExecutionsAsync(page.Limit + 1, grid.SeesWholeTenant ? null : grid.Owner, page.After);
        var taken = found.Take(page.Limit).ToList();
        if (found.Count > page.Limit)
        {
            Paging.Pages.LinkNext(context, taken[^1].LogPosition, page.Limit);
        }

        return TypedResults.Ok(new ToolExecutionList([.. taken.Select(ToolExecutionView.Of)]));
    }

    private static ProblemHttpResult NotFound(string id) => Problems.Create(ErrorCodes.ToolNotFound, $"Tool '{id}' was not found.");
}

public sealed record ToolList(IReadOnlyList<ToolView> Tools);

public sealed record ToolExecutionList(IReadOnlyList<ToolExecutionView> Executions);
