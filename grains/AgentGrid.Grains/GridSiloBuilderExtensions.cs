using AgentGrid.Embeddings;
using AgentGrid.Grains.Gpu;
using AgentGrid.Inference;
using Microsoft.Extensions.Configuration;

namespace AgentGrid.Grains;

public static class GridSiloBuilderExtensions
{
    /// <summary>
    /// The grid's silo, composed once for every host: the embedded default, cluster silos and test clusters. Each host adds
    /// only what differs between them: clustering, where state, records and reminders are kept, the front door and the
    /// dashboard. <paramref name="configuration"/> holds the <c>AgentGrid</c> sections (inference, GPUs).
    /// </summary>
    public static ISiloBuilder AddAgentGridSilo(this ISiloBuilder silo, IConfiguration configuration, TimeSpan? eventPollPeriod = null, bool pubSubInMemory = true)
    {
        silo.Services.AddAgentGridInference(configuration);
        silo.Services.AddAgentGridEmbeddings(configuration);
        silo.Services.AddAgentGridGrains();
        silo.AddAgentGridEventBus(eventPollPeriod, pubSubInMemory);
        silo.AddAgentGridGpu(configuration);
        silo.AddActivityPropagation();
        return silo;
    }
}
