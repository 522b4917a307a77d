using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Workers;

public static class WorkerEndpoints
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/workers").WithTags("Inference workers").RequireAuthorization(Identity.Policies.Admin);
        api.MapGet("/", ListAsync).WithName("ListWorkers");
        api.MapPost("/", StartAsync).WithName("StartWorker");
        api.MapGet("/{id}", GetAsync).WithName("GetWorker");
        api.MapDelete("/{id}", StopAsync).WithName("StopWorker");
        api.MapPost("/{id}/swap", SwapAsync).WithName("SwapWorker");
        api.MapGet("/{id}/logs", LogsAsync).WithName("GetWorkerLogs");

        var pools = routes.MapGroup("/api/pools").WithTags("Inference workers").RequireAuthorization(Identity.Policies.Admin);
        pools.MapGet("/", PoolsAsync).WithName("ListPools");
        pools.MapGet("/{model}", PoolAsync).WithName("GetPool");
        pools.MapPut("/{model}/replicas", ScaleAsync).WithName("ScalePool");
        return routes;
    }

    /// <summary>A page of the workers of every profile (or of <c>model</c>), with their load, by id (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>).</summary>
    public static async Task<Ok<IReadOnlyList<WorkerView>>> ListAsync(GridServices grid, HttpContext context, string? model = null)
    {
        var page = Paging.Pages.Read(context.Request);
        var pools = await Pools(grid, model);
        return TypedResults.Ok(Paging.Pages.Take(pools.SelectMany(p => p.Workers), w => w.Worker.WorkerId, page, context));
    }

    public static async Task<Results<Ok<WorkerView>, ProblemHttpResult>> GetAsync(string id, GridServices grid)
    {
        var worker = await Find(id, grid);
        var pool = await grid.Grains.GetGrain<IWorkerPoolGrain>(worker.Model).GetStatusAsync();
        return TypedResults.Ok(pool.Workers.FirstOrDefault(w => w.Worker.WorkerId == id) ?? new WorkerView(worker, null));
    }

    /// <summary>
    /// Places a worker (202: it is loading; poll it or watch the workers stream). With <c>replicas</c>, places that many and answers
    /// with the list; on a node, each must fit there.
    /// </summary>
    public static async Task<Results<Accepted<WorkerInfo>, Accepted<IReadOnlyList<WorkerInfo>>, ProblemHttpResult>> StartAsync(StartWorkerRequest request, GridServices grid)
    {
        if (request.Replicas is < 1 or > StartWorkerRequest.MaxReplicas)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, $"replicas must be between 1 and {StartWorkerRequest.MaxReplicas}.", "replicas");
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "model is required: the name of a model profile.", "model");
        }

        if (await grid.Grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(request.Model) is null)
        {
            return Problems.Create(ErrorCodes.ProfileNotFound, $"Profile '{request.Model}' does not exist; GET /api/profiles lists them.", "model");
        }

        var node = string.IsNullOrWhiteSpace(request.Node) ? null : request.Node.Trim();
        var pool = grid.Grains.GetGrain<IWorkerPoolGrain>(request.Model);
        if (request.Replicas is not { } replicas)
        {
            var worker = await pool.StartWorkerAsync(node, "started through the API");
            return TypedResults.Accepted($"/api/workers/{worker.WorkerId}", worker);
        }

        // One after another: each placement sees the VRAM the last one reserved. What started stays started if a later one does not fit.
        var started = new List<WorkerInfo>();
        for (var i = 0; i < replicas; i++)
        {
            started.Add(await pool.StartWorkerAsync(node, $"started through the API ({i + 1} of {replicas})"));
        }

        return TypedResults.Accepted($"/api/pools/{request.Model}", (IReadOnlyList<WorkerInfo>)started);
    }

    /// <summary>The last lines its model server wrote, secrets masked (admin only, like the rest of the GPU control plane).</summary>
    public static async Task<Ok<WorkerLogs>> LogsAsync(string id, GridServices grid, int lines = 200)
    {
        if (lines is < 1 or > WorkerLogs.MaxLines)
        {
            throw AgentGridException.Validation("lines", $"lines must be between 1 and {WorkerLogs.MaxLines}.");
        }

        var worker = await Find(id, grid);
        var tail = await grid.Grains.GetGrain<IInferenceWorkerGrain>(id).LogsAsync(lines);
        return TypedResults.Ok(new WorkerLogs(worker.WorkerId, worker.Model, worker.State, tail ?? []));
    }

    /// <summary>Pins a pool's replica count (<c>{"replicas": N}</c>) until cleared (<c>{"replicas": null}</c>).</summary>
    public static async Task<Results<Ok<PoolStatus>, ProblemHttpResult>> ScaleAsync(string model, ScalePoolRequest request, GridServices grid)
    {
        if (await grid.Grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(model) is null)
        {
            return Problems.Create(ErrorCodes.ProfileNotFound, $"Profile '{model}' does not exist.");
        }

        if (request.Replicas is < 0 or > IProfileRegistryGrain.MaxPinnedReplicas)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, $"replicas must be between 0 and {IProfileRegistryGrain.MaxPinnedReplicas}, or null to let the autoscaler decide.", "replicas");
        }

        return TypedResults.Ok(await grid.Grains.GetGrain<IWorkerPoolGrain>(model).ScaleAsync(request.Replicas));
    }

    /// <summary>Drains the worker (202), then stops it once its requests are done.</summary>
    public static async Task<Accepted<WorkerInfo>> StopAsync(string id, GridServices grid)
    {
        var worker = await Find(id, grid);
        if (WorkerStates.IsFinal(worker.State))
        {
            return TypedResults.Accepted($"/api/workers/{id}", worker);
        }

        var info = await grid.Grains.GetGrain<IWorkerPoolGrain>(worker.Model).StopWorkerAsync(id);
        return TypedResults.Accepted($"/api/workers/{id}", info);
    }

    /// <summary>Drains the worker, then reloads it with another profile on the same node (202).</summary>
    public static async Task<Results<Accepted<WorkerInfo>, ProblemHttpResult>> SwapAsync(string id, SwapWorkerRequest request, GridServices grid)
    {
        if (string.IsNullOrWhiteSpace(request.Profile))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "profile is required: the model profile to load instead.", "profile");
        }

        var worker = await Find(id, grid);
        var info = await grid.Grains.GetGrain<IWorkerPoolGrain>(worker.Model).SwapWorkerAsync(id, request.Profile.Trim());
        return TypedResults.Accepted($"/api/workers/{id}", info);
    }

    /// <summary>A page of the pools by model (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's pools are read.</summary>
    public static async Task<Ok<IReadOnlyList<PoolStatus>>> PoolsAsync(GridServices grid, HttpContext context)
    {
        var page = Paging.Pages.Read(context.Request);
        var profiles = Paging.Pages.Take(await grid.Grains.GetGrain<IProfileRegistryGrain>(0).ListAsync(), p => p.Name, page, context);
        return TypedResults.Ok<IReadOnlyList<PoolStatus>>(await Task.WhenAll(profiles.Select(p => grid.Grains.GetGrain<IWorkerPoolGrain>(p.Name).GetStatusAsync())));
    }

    public static async Task<Results<Ok<PoolStatus>, ProblemHttpResult>> PoolAsync(string model, GridServices grid) =>
        await grid.Grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(model) is null
            ? Problems.Create(ErrorCodes.ProfileNotFound, $"Profile '{model}' does not exist.")
            : TypedResults.Ok(await grid.Grains.GetGrain<IWorkerPoolGrain>(model).GetStatusAsync());

    private static async Task<IReadOnlyList<PoolStatus>> Pools(GridServices grid, string? model)
    {
        var profiles = await grid.Grains.GetGrain<IProfileRegistryGrain>(0).ListAsync();
        return await Task.WhenAll(profiles.Where(p => model is null || p.Name == model)
            .Select(p => grid.Grains.GetGrain<IWorkerPoolGrain>(p.Name).GetStatusAsync()));
    }

    private static async Task<WorkerInfo> Find(string id, GridServices grid)
    {
        if (!WorkerKeys.IsValid(id))
        {
            throw new AgentGridException(ErrorCodes.WorkerNotFound, $"Worker '{id}' does not exist.");
        }

        try
        {
            return await grid.Grains.GetGrain<IInferenceWorkerGrain>(id).GetAsync()
                ?? throw new AgentGridException(ErrorCodes.WorkerNotFound, $"Worker '{id}' does not exist.");
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.NodeUnavailable)
        {
            throw new AgentGridException(ErrorCodes.WorkerNotFound, $"Worker '{id}' does not exist (no running silo hosts its node).");
        }
    }
}
