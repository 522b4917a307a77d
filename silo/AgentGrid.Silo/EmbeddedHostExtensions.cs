using AgentGrid.Contracts;
using AgentGrid.FrontDoor;
using AgentGrid.Grains;
using AgentGrid.Grains.Storage;
using AgentGrid.Inference;
using Orleans.Configuration;

namespace AgentGrid.Silo;

public static class EmbeddedHostExtensions
{
    /// <summary>
    /// Composes the embedded default: a localhost silo with SQLite state, the inference path
    /// (the simulator when no model is configured) and the front door, in this one process.
    /// </summary>
    public static WebApplicationBuilder UseAgentGridEmbedded(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(EmbeddedOptions.SectionName).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddAgentGridInference(builder.Configuration);
        builder.Services.AddAgentGridGrains();
        builder.Services.AddAgentGridFrontDoor();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: "agentgrid-embedded");
            silo.AddSqliteGrainStorage(GridNames.StateStore, o => o.DatabasePath = options.DatabasePath);
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = options.GrainCallTimeout);
        });
        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }
}
