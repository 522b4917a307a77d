using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Events;

/// <summary><c>GET /api/sessions/{id}/events?after={seq}</c>: the session's events as server-sent events.</summary>
public static class SessionEventsEndpoint
{
    public static IEndpointRouteBuilder MapSessionEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/sessions/{id}/events", StreamAsync).WithTags("Sessions").WithName("StreamSessionEvents").RequireAuthorization(Identity.Policies.Reader)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return routes;
    }

    public static async Task StreamAsync(string id, HttpContext context, GridServices grid, SessionEventFeed feed, Identity.StreamSlots slots, Identity.KeyLookup keys)
    {
        if (!GrainKeys.IsValidId(id))
        {
            await Problems.SessionNotFound(id).ExecuteAsync(context);
            return;
        }

        if (After(context) is not { } after)
        {
            await Problems.Create(ErrorCodes.ValidationFailed, "after and Last-Event-ID must be non-negative integers.", "after").ExecuteAsync(context);
            return;
        }

        // Fails with session_not_found or events_expired (410) before any byte of the stream is written,
        // so a reconnecting EventSource gets an error status instead of retrying for ever.
        await grid.Grain<ISessionGrain>(id).GetEventsAsync(after);
        using var slot = slots.Take(grid.KeyId!);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(context.RequestAborted);
        try
        {
            // A stream outlives the check of its key: it ends once the key is revoked or expires.
            await foreach (var e in keys.WhileValidAsync(feed.ReadAsync(GrainKeys.For(grid.Tenant, id), after, context.RequestAborted), context.User, context.RequestAborted))
            {
                await response.WriteAsync($"id: {e.Sequence}\ndata: {JsonSerializer.Serialize(e, SessionEventJson.Options)}\n\n", context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; its subscription is gone with it.
        }
        catch (AgentGridException e)
        {
            // Headers are long sent: the error goes out as a last, named event.
            await ErrorEventAsync(response, e.Code, e.Message, context.RequestAborted);
        }
        catch (Exception e) when (e is TimeoutException || Cluster.FailoverRetry.IsRejectedByCluster(e))
        {
            // A silo lost or slow while following: a typed last event, and the client reconnects with Last-Event-ID.
            await ErrorEventAsync(response, ErrorCodes.ServiceUnavailable, "The grid did not answer in time; reconnect.", context.RequestAborted);
        }
    }

    private static Task ErrorEventAsync(HttpResponse response, string code, string detail, CancellationToken aborted) =>
        response.WriteAsync($"event: error\ndata: {JsonSerializer.Serialize(new { code, status = Problems.StatusFor(code), detail }, SessionEventJson.Options)}\n\n", aborted);

    /// <summary><c>Last-Event-ID</c> (a reconnecting EventSource) wins over <c>?after=</c>; neither means from the start.</summary>
    private static long? After(HttpContext context)
    {
        var raw = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["after"].FirstOrDefault();
        if (raw is null)
        {
            return 0;
        }

        return long.TryParse(raw, out var after) && after >= 0 ? after : null;
    }
}
