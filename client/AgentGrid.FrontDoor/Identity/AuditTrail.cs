using System.Security.Claims;
using AgentGrid.Contracts.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Records every change an authenticated key attempts on an admin endpoint (keys, tenants, profiles, workers), and
/// members' writes on endpoints marked <see cref="Audited{TBuilder}"/> (tools, MCP servers, knowledge bases, workflows,
/// approvals, also those decided on the hub), allowed or refused, in the audit log; <c>GET /api/audit</c> reads it back
/// (admin only). An entry names the action, the route's values and the status, never a body: no header value, key or
/// document reaches the log.
/// </summary>
public static class AuditTrail
{
    private static readonly string[] Reads = ["GET", "HEAD", "OPTIONS"];

    // Refused attempts are recorded once a minute per key and action, so a key cannot flood the log out of its history.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Key, string Action), DateTimeOffset> RecentRefusals = new();

    /// <summary>
    /// Outside the exception handler, so the status recorded is the one the caller got, refusals and errors included;
    /// the caller is known once authentication, further in, has run.
    /// </summary>
    public static WebApplication UseAgentGridAudit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Routing ran first (the app's implicit UseRouting); the exception handler clears the endpoint and its
            // route values before it answers a failed call, so they are taken now.
            var matched = context.GetEndpoint() as RouteEndpoint;
            var routeValues = new RouteValueDictionary(context.Request.RouteValues);
            var recorded = false;
            async Task RecordOnceAsync()
            {
                if (!recorded && matched is { } endpoint && Audited(context, endpoint) && CallerClaims.KeyIdOf(context.User) is { } keyId)
                {
                    recorded = true;
                    await RecordAsync(context, endpoint, routeValues, keyId, context.Response.StatusCode);
                }
            }

            // Stored before the response starts, so a caller that reads the log right after its call finds the entry.
            context.Response.OnStarting(RecordOnceAsync);
            await next(context);
            await RecordOnceAsync();
        });
        return app;
    }

    /// <summary>Marks a member's write endpoint for the audit log (admin endpoints are audited anyway).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AuditedWrite.Instance);

    /// <summary>A write decided on the hub (an approval): recorded like its REST twin, with the status it ended with.</summary>
    public static Task RecordHubAsync(IServiceProvider services, ClaimsPrincipal? user, string action, string target, int status, string connectionId) =>
        user is not null && CallerClaims.KeyIdOf(user) is { } keyId
            ? StoreAsync(services, Entry(user, keyId, action, target, status, connectionId))
            : Task.CompletedTask;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        // Newest first, a page at a time (limit: 100 unless given, after, Link rel="next"); the log keeps its latest 10,000.
        routes.MapGet("/api/audit", async (GridServices grid, HttpContext context) =>
            {
                var page = Paging.Pages.Read(context.Request);
                page = context.Request.Query.ContainsKey("limit") ? page : page with { Limit = 100 };
                var entries = await grid.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).ListAsync(IAuditLogGrain.Capacity);
                // Entries carry no id: their order in the log (oldest 0) breaks ties between entries of one instant.
                var numbered = entries.Select((entry, i) => (Entry: entry, Key: Paging.Pages.ByTime(entry.At, (entries.Count - i).ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + (entry.CorrelationId ?? ""))));
                return TypedResults.Ok(Paging.Pages.Take(numbered, e => e.Key, page, context, newestFirst: true).Select(e => e.Entry).ToList());
            })
            .WithTags("Audit").WithName("ListAuditEntries").RequireAuthorization(Policies.Admin);
        return routes;
    }

    private static bool Audited(HttpContext context, RouteEndpoint endpoint) =>
        !Reads.Contains(context.Request.Method)
        && (endpoint.Metadata.GetMetadata<AuditedWrite>() is not null
            || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Admin));

    private static async Task RecordAsync(HttpContext context, RouteEndpoint endpoint, RouteValueDictionary routeValues, string keyId, int status)
    {
        var action = $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.Trim('/')}";
        if (status == StatusCodes.Status403Forbidden)
        {
            var now = DateTimeOffset.UtcNow;
            if (RecentRefusals.TryGetValue((keyId, action), out var last) && now - last < TimeSpan.FromMinutes(1))
            {
                return;
            }

            if (RecentRefusals.Count > 10_000)
            {
                RecentRefusals.Clear();
            }

            RecentRefusals[(keyId, action)] = now;
        }

        var target = routeValues.Count == 0 ? null : string.Join("&", routeValues.Select(v => $"{v.Key}={v.Value}"));
        var correlation = context.Response.Headers[Operations.CorrelationIds.Header].ToString() is { Length: > 0 } id ? id : context.TraceIdentifier;
        await StoreAsync(context.RequestServices, Entry(context.User, keyId, action, target, status, correlation));
    }

    private static AuditEntry Entry(ClaimsPrincipal user, string keyId, string action, string? target, int status, string correlationId) => new()
    {
        At = DateTimeOffset.UtcNow,
        KeyId = keyId,
        Tenant = user.FindFirstValue(CallerClaims.Tenant) ?? "",
        KeyName = user.Identity?.Name,
        Action = action,
        Target = target,
        Status = status,
        CorrelationId = correlationId,
    };

    private static async Task StoreAsync(IServiceProvider services, AuditEntry entry)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).RecordAsync(entry);
        }
        catch (Exception e)
        {
            // The action is done; its answer must not change because the log could not be written. Operators see this.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail))
                .LogError(e, "Audit entry for {Action} by key {KeyId} could not be stored", entry.Action, entry.KeyId);
        }
    }

    private sealed class AuditedWrite
    {
        public static readonly AuditedWrite Instance = new();
    }
}
