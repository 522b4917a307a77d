using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace AgentGrid.FrontDoor.Operations;

/// <summary>Telemetry defaults in one place, and the operators' endpoints: <c>/metrics</c> and <c>/dashboard</c>.</summary>
public static class OperationsExtensions
{
    private static readonly string[] Untraced = ["/healthz", "/readyz", "/metrics"];

    /// <summary>
    /// Metrics (Orleans, ASP.NET Core, AgentGrid) for a Prometheus scrape; traces from the front door through grain
    /// calls to the model provider, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; JSON logs
    /// with scopes when <c>AgentGrid:Logging:Json</c> is true.
    /// </summary>
    public static IHostApplicationBuilder AddAgentGridTelemetry(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("AgentGrid:Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => (o.IncludeScopes, o.UseUtcTimestamp) = (true, true));
        }

        // Its request lines carry the query string, where browsers' SignalR clients put the API key (access_token).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans", "AgentGrid.*")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "AgentGrid.*", "System.Net.Http")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !Untraced.Contains(context.Request.Path.Value));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

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
