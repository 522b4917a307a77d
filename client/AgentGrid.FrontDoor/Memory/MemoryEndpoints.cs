using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Memory;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.FrontDoor.Paging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Memory;

/// <summary>
/// An agent's long-term memory of an end user within the caller's owner (<c>user</c>: the owner itself unless named):
/// save, list, search (<c>?q=</c>) and forget facts. Keys that see the whole tenant may name another <c>owner</c>; for any
/// other key, naming one but its own is refused.
/// </summary>
public static class MemoryEndpoints
{
    public static RouteGroupBuilder MapMemoryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/agents/{agentId}/memories").WithTags("Memory").RequireAuthorization(Policies.Reader);
        api.MapPost("/", AddAsync).WithName("AddMemory").RequireAuthorization(Policies.Member);
        api.MapGet("/", ListAsync).WithName("ListMemories");
        api.MapDelete("/{memoryId}", ForgetAsync).WithName("ForgetMemory").RequireAuthorization(Policies.Member);
        return api;
    }

    public static async Task<Results<Created<AgentMemory>, ProblemHttpResult>> AddAsync(
        string agentId, AddMemoryRequest request, GridServices grid, string? user = null, string? owner = null)
    {
        var memory = await MemoryOfAsync(agentId, request.User ?? user, owner, grid);
        var added = await memory.AddAsync(request.Text ?? "", MemorySources.Api, new Caller(grid.Tenant, grid.KeyId));
        return TypedResults.Created($"/api/agents/{agentId}/memories/{added.Id}", added);
    }

    /// <summary>The facts, newest first and paged (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); with <c>q</c>, the <c>k</c> best matches.</summary>
    public static async Task<Ok<MemoryList>> ListAsync(
        string agentId, GridServices grid, HttpContext context, string? user = null, string? owner = null, string? q = null, int? k = null)
    {
        var page = q is null ? Pages.Read(context.Request) : null;
        var memory = await MemoryOfAsync(agentId, user, owner, grid);
        return TypedResults.Ok(new MemoryList(page is not null
            ? Pages.Take(await memory.ListAsync(), m => Pages.ByTime(m.CreatedAt, m.Id), page, context, newestFirst: true)
            : await memory.SearchAsync(q!, k ?? 5, new Caller(grid.Tenant, grid.KeyId))));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ForgetAsync(string agentId, string memoryId, GridServices grid, string? user = null, string? owner = null)
    {
        var memory = await MemoryOfAsync(agentId, user, owner, grid);
        if (!GrainKeys.IsValidId(memoryId))
        {
            return Problems.Create(ErrorCodes.MemoryNotFound, $"Memory '{memoryId}' was not found.");
        }

        await memory.ForgetAsync(memoryId);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The memory grain of an agent of the caller's tenant (404 <c>agent_not_found</c> otherwise), an owner (the caller's,
    /// unless it sees the whole tenant and names another) and an end user within it.
    /// </summary>
    private static async Task<IAgentMemoryGrain> MemoryOfAsync(string agentId, string? user, string? owner, GridServices grid)
    {
        if (!GrainKeys.IsValidId(agentId))
        {
            throw AgentGridException.AgentNotFound(agentId);
        }

        await grid.Grain<IAgentGrain>(agentId).GetAsync();
        if (owner is not null && owner != grid.Owner && !grid.SeesWholeTenant)
        {
            throw new AgentGridException(ErrorCodes.Forbidden, "Only admins and tenant-wide keys may name another owner.", "owner");
        }

        var whose = owner is null ? grid.Owner : SessionUsers.Validate(owner, "owner");
        var who = SessionUsers.Validate(user ?? whose);
        return grid.Grains.GetGrain<IAgentMemoryGrain>(MemoryKeys.For(grid.Tenant, agentId, whose, who));
    }
}

public sealed record AddMemoryRequest
{
    public string? Text { get; init; }

    /// <summary>The end user the fact is about, within the caller's owner. Default: the owner itself.</summary>
    public string? User { get; init; }
}

public sealed record MemoryList(IReadOnlyList<AgentMemory> Memories);
