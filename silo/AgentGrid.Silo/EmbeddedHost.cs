using AgentGrid.FrontDoor;

namespace AgentGrid.Silo;

/// <summary>The one composition of the embedded default, used by <c>Program.cs</c>, the tests and the benchmark.</summary>
public static class EmbeddedHost
{
    /// <param name="settings">Configuration on top of appsettings.json, environment and command line.</param>
    /// <param name="logs">Whether to keep the console log.</param>
    /// <param name="configure">Last changes to the composition, for tests and the benchmark.</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, bool logs = true, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json is read from beside the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return Build(builder, logs, configure);
    }

    public static WebApplication Build(WebApplicationBuilder builder, bool logs, Action<WebApplicationBuilder>? configure = null)
    {
        if (!logs)
        {
            builder.Logging.ClearProviders();
        }

        builder.UseAgentGridEmbedded();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapAgentGridFrontDoor();
        return app;
    }
}
