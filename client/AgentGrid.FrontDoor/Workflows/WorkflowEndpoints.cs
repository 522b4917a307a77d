using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workflows;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using AgentGrid.FrontDoor.Paging;

namespace AgentGrid.FrontDoor.Workflows;

/// <summary>
/// <c>/api/workflows</c> (definitions, as JSON or YAML, and their runs) and <c>/api/workflow-runs</c> (inspect, follow,
/// cancel, approve).
/// </summary>
public static class WorkflowEndpoints
{
    /// <summary>Runs a page of a workflow's run list holds when the caller names no <c>limit</c>.</summary>
    public const int DefaultRunPage = 20;

    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder routes)
    {
        var workflows = routes.MapGroup("/api/workflows").WithTags("Workflows").RequireAuthorization(Policies.Reader);
        workflows.MapPost("/", CreateAsync).WithName("CreateWorkflow").Audited().RequireAuthorization(Policies.Member).Accepts<JsonObject>(false, "application/json", WorkflowDocuments.Types[1..]);
        workflows.MapGet("/", ListAsync).WithName("ListWorkflows");
        workflows.MapGet("/{id}", GetAsync).WithName("GetWorkflow");
        workflows.MapPut("/{id}", UpdateAsync).WithName("UpdateWorkflow").Audited().RequireAuthorization(Policies.Member).Accepts<JsonObject>(false, "application/json", WorkflowDocuments.Types[1..]);
        workflows.MapDelete("/{id}", DeleteAsync).WithName("DeleteWorkflow").Audited().RequireAuthorization(Policies.Member);
        workflows.MapPost("/{id}/runs", StartAsync).WithName("StartWorkflowRun").Audited().RequireAuthorization(Policies.Member);
        workflows.MapGet("/{id}/runs", RunsAsync).WithName("ListWorkflowRuns");

        var runs = routes.MapGroup("/api/workflow-runs").WithTags("Workflows").RequireAuthorization(Policies.Reader);
        runs.MapGet("/{id}", GetRunAsync).WithName("GetWorkflowRun");
        runs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelWorkflowRun").Audited().RequireAuthorization(Policies.Member);
        runs.MapPost("/{id}/approvals/{stepId}", DecideAsync).WithName("DecideWorkflowApproval").Audited().RequireAuthorization(Policies.Member);
        runs.MapGet("/{id}/events", WorkflowRunEventsEndpoint.StreamAsync).WithName("StreamWorkflowRunEvents");
        return routes;
    }

    /// <summary>A workflow as the API shows it: the definition as a JSON object, not text.</summary>
    public sealed record WorkflowView(string Id, string Name, string? Description, JsonNode? Definition, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static WorkflowView Of(Workflow w) => new(w.Id, w.Name, w.Description, JsonNode.Parse(w.Definition), w.Version, w.CreatedAt, w.UpdatedAt);
    }

    public sealed record StartRunRequest(string? Input);

    /// <summary>A decision: <c>arguments</c>, when sent for a tool step, must equal those the step shows.</summary>
    public sealed record DecisionRequest(bool? Approved, string? Comment, JsonElement? Arguments = null);

    public static async Task<Created<WorkflowView>> CreateAsync(HttpRequest request, GridServices grid)
    {
        var definition = await WorkflowDocuments.ReadAsync(request, grid.Aborted);
        var id = GrainKeys.NewId("wf");
        var workflow = await grid.Grain<IWorkflowGrain>(id).CreateAsync(definition);
        return TypedResults.Created($"/api/workflows/{id}", WorkflowView.Of(workflow));
    }

    /// <summary>A page of the tenant's workflows in id order (<c>limit</c>, <c>after</c>, <c>Link: rel="next"</c>); only the page's are read.</summary>
    public static async Task<Ok<WorkflowView[]>> ListAsync(GridServices grid, HttpContext context)
    {
        var page = Pages.Read(context.Request);
        var ids = Pages.Take(await grid.Grains.GetGrain<IWorkflowIndexGrain>(grid.Tenant).ListAsync(), id => id, page, context);
        var workflows = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return WorkflowView.Of(await grid.Grain<IWorkflowGrain>(id).GetAsync());
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.WorkflowNotFound)
            {
                return null;
            }
        }));
        return TypedResults.Ok(workflows.OfType<WorkflowView>().ToArray());
    }

    public static async Task<Ok<WorkflowView>> GetAsync(string id, GridServices grid) =>
        TypedResults.Ok(WorkflowView.Of(await Workflow(id, grid).GetAsync()));

    public static async Task<Ok<WorkflowView>> UpdateAsync(string id, HttpRequest request, GridServices grid)
    {
        var workflow = Workflow(id, grid);
        var definition = await WorkflowDocuments.ReadAsync(request, grid.Aborted);
        return TypedResults.Ok(WorkflowView.Of(await workflow.UpdateAsync(definition)));
    }

    public static async Task<NoContent> DeleteAsync(string id, GridServices grid)
    {
        await Workflow(id, grid).DeleteAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Starts a run with <c>input</c>; 202 with the run, which goes on in the background.</summary>
    public static async Task<Accepted<WorkflowRun>> StartAsync(string id, StartRunRequest request, GridServices grid)
    {
        var run = await Workflow(id, grid).StartRunAsync(request.Input ?? "", grid.KeyId, grid.Owner);
        return TypedResults.Accepted($"/api/workflow-runs/{run.Id}", run);
    }

    /// <summary>
    /// A page of the workflow's runs, newest first: the latest <c>limit</c> (default 20, at most 100), or those before
    /// the cursor <c>before</c>. When older ones remain, a <c>Link: &lt;…&gt;; rel="next"</c> header points at them.
    /// </summary>
    public static async Task<Results<Ok<WorkflowRun[]>, ProblemHttpResult>> RunsAsync(
        string id, GridServices grid, HttpResponse response, string? before = null, string? limit = null)
    {
        // Bound as text, so a value that is not a number is refused naming its field like one out of range.
        var workflow = Workflow(id, grid);
        long? cursor = null;
        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return Problems.Create(ErrorCodes.ValidationFailed, "before must be the cursor of a page (a whole number of 1 or more).", "before");
            }

            cursor = parsed;
        }

        var size = DefaultRunPage;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > Limits.MaxRunPage))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, $"limit must be a whole number from 1 to {Limits.MaxRunPage}.", "limit");
        }

        var page = await workflow.RunsAsync(cursor, size);
        var runs = await Task.WhenAll(page.RunIds.Select(r => grid.Grain<IWorkflowRunGrain>(r).GetAsync()));
        if (page.Next is { } next)
        {
            response.Headers.Link = $"</api/workflows/{id}/runs?before={next}&limit={size}>; rel=\"next\"";
        }

        return TypedResults.Ok(runs);
    }

    public static async Task<Ok<WorkflowRun>> GetRunAsync(string id, GridServices grid) => TypedResults.Ok(await Run(id, grid).GetAsync());

    public static async Task<Ok<WorkflowRun>> CancelAsync(string id, GridServices grid) => TypedResults.Ok(await Run(id, grid).CancelAsync());

    public static async Task<Results<Ok<WorkflowRun>, ProblemHttpResult>> DecideAsync(string id, string stepId, DecisionRequest request, GridServices grid)
    {
        var run = Run(id, grid);
        if (request.Approved is not { } approved)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "approved (true or false) is required.", "approved");
        }

        if (request.Comment?.Length > 1000)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "comment must be at most 1000 characters.", "comment");
        }

        if (request.Arguments is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "arguments must be the JSON object the step shows.", "arguments");
        }

        var arguments = request.Arguments is { ValueKind: JsonValueKind.Object } shown ? shown.GetRawText() : null;
        return TypedResults.Ok(await run.DecideAsync(stepId, approved, request.Comment, arguments));
    }

    private static IWorkflowGrain Workflow(string id, GridServices grid) => GrainKeys.IsValidId(id)
        ? grid.Grain<IWorkflowGrain>(id)
        : throw new AgentGridException(ErrorCodes.WorkflowNotFound, $"Workflow '{id}' was not found.");

    internal static IWorkflowRunGrain Run(string id, GridServices grid) => GrainKeys.IsValidId(id)
        ? grid.Grain<IWorkflowRunGrain>(id)
        : throw new AgentGridException(ErrorCodes.WorkflowRunNotFound, $"Workflow run '{id}' was not found.");
}
