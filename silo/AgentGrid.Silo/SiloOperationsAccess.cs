using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AgentGrid.Silo;

/// <summary>
/// A cluster silo's own HTTP endpoints: <c>/healthz</c> for anyone, <c>/readyz</c> with each dependency's state only
/// for the metrics token (anonymous callers get the status alone), <c>/metrics</c> for the metrics token only.
/// </summary>
public static class SiloOperationsAccess
{
    public static WebApplication MapSiloOperations(this WebApplication app)
    {
        var token = app.Configuration[$"{AuthOptions.SectionName}:MetricsToken"];
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = (context, report) => Allowed(context, token)
                ? HealthReports.WriteAsync(context, report)
                : context.Response.WriteAsync(report.Status.ToString()),
        });
        app.MapPrometheusScrapingEndpoint("/metrics").AddEndpointFilter(async (context, next) =>
        {
            if (Allowed(context.HttpContext, token))
            {
                return await next(context);
            }

            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return FrontDoor.Errors.Problems.Create(Contracts.Errors.ErrorCodes.Unauthenticated,
                "Send the metrics token (AgentGrid:Auth:MetricsToken) as 'Authorization: Bearer <token>'.");
        });
        return app;
    }

    private static bool Allowed(HttpContext context, string? token) =>
        token is { Length: > 0 }
        && context.Request.Headers.Authorization.ToString() is var header
        && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && KeyHasher.SameSecret(header[7..].Trim(), token);
}
