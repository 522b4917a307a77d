using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Memory;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Memory;

/// <summary>
/// An agent's long-term memory of an end user (<c>user</c>: the calling key's id unless named): save, list, search
/// (<c>?q=</c>) and forget facts.
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

    public static async Task<Results<Created<AgentMemory>, ProblemHttpResult>> AddAsync(string agentId, AddMemoryRequest request, GridServices grid, string? user = null)
    {
        var memory = await MemoryOfAsync(agentId, request.User ?? user, grid);
        var added = await memory.AddAsync(request.Text ?? "", MemorySources.Api, new Caller(grid.Tenant, grid.KeyId));
        return TypedResults.Created($"/api/agents/{agentId}/memories/{added.Id}", added);
    }

    public static async Task<Ok<MemoryList>> ListAsync(string agentId, GridServices grid, string? user = null, string? q = null, int? k = null)
    {
        var memory = await MemoryOfAsync(agentId, user, grid);
        return TypedResults.Ok(new MemoryList(q is null
            ? await memory.ListAsync()
            : await memory.SearchAsync(q, k ?? 5, new Caller(grid.Tenant, grid.KeyId))));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ForgetAsync(string agentId, string memoryId, GridServices grid, string? user = null)
    {
        var memory = await MemoryOfAsync(agentId, user, grid);
        if (!GrainKeys.IsValidId(memoryId))
        {
            return Problems.Create(ErrorCodes.MemoryNotFound, $"Memory '{memoryId}' was not found.");
        }

        await memory.ForgetAsync(memoryId);
        return TypedResults.NoContent();
    }

    /// <summary>The memory grain of an agent of the caller's tenant (404 <c>agent_not_found</c> otherwise) and a user.</summary>
    private static async Task<IAgentMemoryGrain> MemoryOfAsync(string agentId, string? user, GridServices grid)
    {
        if (!GrainKeys.IsValidId(agentId))
        {
            throw AgentGridException.AgentNotFound(agentId);
        }

        await grid.Grain<IAgentGrain>(agentId).GetAsync();
        var who = SessionUsers.Validate(user ?? grid.KeyId);
        return grid.Grains.GetGrain<IAgentMemoryGrain>(MemoryKeys.For(grid.Tenant, agentId, who));
    }
}

public sealed record AddMemoryRequest
{
    public string? Text { get; init; }

    /// <summary>The end user the fact is about. Default: the calling key's id.</summary>
    public string? User { get; init; }
}

public sealed record MemoryList(IReadOnlyList<AgentMemory> Memories);
