using AgentGrid.FrontDoor;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AgentGrid.Silo;

/// <summary>Picks the mode from <c>AgentGrid:Mode</c>: <c>Embedded</c> (the default) or <c>Cluster</c>.</summary>
public static class GridHost
{
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, bool logs = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var mode = builder.Configuration["AgentGrid:Mode"] ?? "Embedded";
        if (mode.Equals("Cluster", StringComparison.OrdinalIgnoreCase))
        {
            var options = builder.Configuration.GetSection(GridClusterOptions.SectionName).Get<GridClusterOptions>() ?? new GridClusterOptions();
            if (!logs)
            {
                builder.Logging.ClearProviders();
            }

            builder.UseAgentGridCluster(options);
            var app = builder.Build();
            if (options.HostFrontDoor)
            {
                app.MapAgentGridFrontDoor();
            }
            else
            {
                app.MapSiloOperations();
            }

            return app;
        }

        if (!mode.Equals("Embedded", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"AgentGrid:Mode must be Embedded or Cluster (was '{mode}').");
        }

        return EmbeddedHost.Build(builder, logs);
    }
}
