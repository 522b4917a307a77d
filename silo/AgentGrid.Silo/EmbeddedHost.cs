using AgentGrid.FrontDoor;

namespace AgentGrid.Silo;

/// <summary>The one composition of the embedded default, used by <c>Program.cs</c>, the tests and the benchmark.</summary>
public static class EmbeddedHost
{
    /// <param name="settings">Configuration on top of appsettings.json, environment and command line.</param>
    /// <param name="logs">Whether to keep the console log.</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, bool logs = true)
    {
        // appsettings.json is read from beside the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return Build(builder, logs);
    }

    public static WebApplication Build(WebApplicationBuilder builder, bool logs)
    {
        if (!logs)
        {
            builder.Logging.ClearProviders();
        }

        builder.UseAgentGridEmbedded();
        var app = builder.Build();
        app.MapAgentGridFrontDoor();
        return app;
    }
}
