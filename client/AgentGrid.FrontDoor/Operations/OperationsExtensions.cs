using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace AgentGrid.FrontDoor.Operations;

/// <summary>The operators' endpoints: <c>/metrics</c> (fed by <c>AddAgentGridServiceDefaults</c>) and <c>/dashboard</c>.</summary>
public static class OperationsExtensions
{
    public static IServiceCollection AddAgentGridOperations(this IServiceCollection services)
    {
        services.AddHostedService<GridGauges>();
        return services;
    }

    /// <summary>Maps <c>/metrics</c> (admin keys or the metrics token) and <c>/dashboard</c> (admin keys).</summary>
    public static IEndpointRouteBuilder MapAgentGridOperations(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Metrics);
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Policies.Admin);
        return app;
    }
}
