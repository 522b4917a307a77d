using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Cluster;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Sessions;

public static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/sessions").WithTags("Sessions").RequireAuthorization(Policies.Reader);
        api.MapPost("/", OpenAsync).WithName("OpenSession").RequireAuthorization(Policies.Member);
        api.MapGet("/{id}", GetAsync).WithName("GetSession");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteSession").RequireAuthorization(Policies.Member);
        api.MapGet("/{id}/messages", MessagesAsync).WithName("ListSessionMessages");
        api.MapPost("/{id}/messages", SendAsync).WithName("SendSessionMessage").RequireAuthorization(Policies.Member);
        api.MapPost("/{id}/approvals/{callId}", DecideApprovalAsync).WithName("DecideToolApproval").Audited().RequireAuthorization(Policies.Member);
        api.MapGet("/{id}/tool-calls", ToolCallsAsync).WithName("ListSessionToolCalls");
        return api;
    }

    public static async Task<Results<Created<Session>, ProblemHttpResult>> OpenAsync(OpenSessionRequest request, GridServices grid, SessionAccess sessions)
    {
        if (string.IsNullOrWhiteSpace(request.AgentId))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "agentId is required.", "agentId");
        }

        if (!GrainKeys.IsValidId(request.AgentId))
        {
            return Problems.AgentNotFound(request.AgentId);
        }

        var id = GrainKeys.NewId("ses");
        var session = await sessions.OpenAsync(grid.User, id, request.AgentId, request.Variables ?? [], request.User);
        return TypedResults.Created($"/api/sessions/{id}", session);
    }

    public static async Task<Ok<Session>> GetAsync(string id, GridServices grid, SessionAccess sessions) =>
        TypedResults.Ok(await (await sessions.OfAsync(grid.User, id)).GetAsync());

    public static async Task<NoContent> DeleteAsync(string id, GridServices grid, SessionAccess sessions)
    {
        await (await sessions.OfAsync(grid.User, id)).DeleteAsync();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A page of the history, oldest first: the latest <c>limit</c> messages (default 100, at most 500), or those before
    /// the index <c>before</c>. When older ones remain, a <c>Link: &lt;…&gt;; rel="next"</c> header points at them.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<SessionMessage>>, ProblemHttpResult>> MessagesAsync(
        string id, GridServices grid, SessionAccess sessions, HttpResponse response, long? before = null, int? limit = null)
    {
        var session = await sessions.OfAsync(grid.User, id);
        if (before is < 1 || limit is < 1 or > Limits.MaxHistoryPage)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, before is < 1 ? "before must be a message index of 1 or more." : $"limit must be between 1 and {Limits.MaxHistoryPage}.", before is < 1 ? "before" : "limit");
        }

        var page = await session.GetMessagesAsync(before, limit ?? 100);
        if (page.Count > 0 && page[0].Index > 1)
        {
            response.Headers.Link = $"</api/sessions/{id}/messages?before={page[0].Index}&limit={limit ?? 100}>; rel=\"next\"";
        }

        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<ChatTurn>, ProblemHttpResult>> SendAsync(
        string id, SendMessageRequest request, GridServices grid, SessionAccess sessions, FailoverRetry failover)
    {
        var session = await sessions.OfAsync(grid.User, id);
        if (request.Content is null)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "content is required.", "content");
        }

        // With a message id, sending again is idempotent (the session stores the message once and answers it once),
        // so a send caught by the loss of a silo is sent again rather than failed. The turn outlives the request: a
        // client that goes away finds the reply in the history; only a stop cancels it.
        var messageId = request.MessageId ?? GrainKeys.NewId("msg");
        return TypedResults.Ok(await failover.RunAsync(() => session.SendMessageAsync(request.Content, messageId, grid.KeyId, CancellationToken.None), grid.Aborted));
    }

    /// <summary>The session's tool calls (of its recent history), oldest first, each with its status and result.</summary>
    public static async Task<Ok<IReadOnlyList<SessionToolCall>>> ToolCallsAsync(string id, GridServices grid, SessionAccess sessions) =>
        TypedResults.Ok(await (await sessions.OfAsync(grid.User, id)).ToolCallsAsync());

    /// <summary>
    /// Approves or denies a tool call the session's turn waits on, and returns the turn's outcome: the reply, or the
    /// calls that still wait. An approval runs the call with exactly the arguments it was requested with.
    /// </summary>
    public static async Task<Results<Ok<ChatTurn>, ProblemHttpResult>> DecideApprovalAsync(
        string id, string callId, ApprovalRequest request, GridServices grid, SessionAccess sessions)
    {
        var session = await sessions.OfAsync(grid.User, id);
        if (request.Approved is not { } approved)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "approved (true or false) is required.", "approved");
        }

        if (request.Arguments is { } shown && shown.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "arguments must be the JSON object the call was requested with.", "arguments");
        }

        if (request.Reason?.Length > 1000)
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "reason must be at most 1000 characters.", "reason");
        }

        var decision = new Contracts.Tools.ApprovalDecision { Approved = approved, Arguments = request.Arguments?.GetRawText(), Reason = request.Reason };
        return TypedResults.Ok(await session.DecideApprovalAsync(callId, decision, grid.KeyId, CancellationToken.None));
    }
}
