using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
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

    public static async Task StreamAsync(
        string id, HttpContext context, GridServices grid, Sessions.SessionAccess sessions, SessionEventFeed feed, Identity.StreamSlots slots, Identity.KeyLookup keys)
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
        await (await sessions.OfAsync(grid.User, id)).GetEventsAsync(after);
        using var slot = slots.Take(grid.KeyId!);

        // Followed before the headers go out: a client that sends a message once its stream is open sees the reply token by token.
        await using var subscription = await feed.SubscribeAsync(GrainKeys.For(grid.Tenant, id), after);
        try
        {
            // A stream outlives the check of its key: it ends once the key is revoked or expires.
            var events = keys.WhileValidAsync(subscription.ReadAllAsync(context.RequestAborted), context.User, context.RequestAborted);
            await SseJson.WriteAsync(context.Response, ItemsAsync(events, context.RequestAborted), SessionEventJson.Options, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; its subscription is gone with it.
        }
    }

    /// <summary>Each event with its sequence as the SSE id; a failure while following ends the stream with a last, named <c>error</c> event.</summary>
    private static async IAsyncEnumerable<SseItem<object>> ItemsAsync(IAsyncEnumerable<SessionEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var items = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            SseItem<object>? error = null;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (AgentGridException e)
            {
                // Headers are long sent: the error goes out as an event.
                (more, error) = (false, ErrorEvent(e.Code, e.Message));
            }
            catch (Exception e) when (e is TimeoutException || Cluster.FailoverRetry.IsRejectedByCluster(e))
            {
                // A silo lost or slow while following: a typed last event, and the client reconnects with Last-Event-ID.
                (more, error) = (false, ErrorEvent(ErrorCodes.ServiceUnavailable, "The grid did not answer in time; reconnect."));
            }

            if (error is { } last)
            {
                yield return last;
            }

            if (!more)
            {
                yield break;
            }

            yield return new SseItem<object>(items.Current) { EventId = items.Current.Sequence.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static SseItem<object> ErrorEvent(string code, string detail) => new(new { code, status = Problems.StatusFor(code), detail }, "error");

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
