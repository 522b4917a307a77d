using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AgentGrid.ServiceDefaults;

/// <summary>The telemetry every AgentGrid process shares, whatever it hosts (a silo, a front door, or both).</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The meters and activity sources AgentGrid's own code writes to.</summary>
    public const string AgentGridSources = "AgentGrid.*";

    private static readonly PathString[] Untraced = ["/healthz", "/readyz", "/metrics"];

    /// <summary>
    /// Metrics (Orleans, ASP.NET Core, AgentGrid) for a Prometheus scrape; when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set,
    /// traces from the front door through grain calls to the model provider, exported over OTLP; JSON logs with scopes
    /// when <c>AgentGrid:Logging:Json</c> is true.
    /// </summary>
    public static IHostApplicationBuilder AddAgentGridServiceDefaults(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("AgentGrid:Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => (o.IncludeScopes, o.UseUtcTimestamp) = (true, true));
        }

        // Its request lines carry the query string, where browsers' SignalR clients put a hub ticket (access_token): short-lived, but still a credential.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans", AgentGridSources)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        // Spans only where they go somewhere: with nothing listening, no request, grain call or model call makes one.
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", AgentGridSources, "System.Net.Http")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !Untraced.Contains(context.Request.Path))
                .AddOtlpExporter());
        }

        return builder;
    }
}
