using AgentGrid.Contracts;
using Orleans.Configuration;
using Orleans.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Grains;

public static class StreamsSiloBuilderExtensions
{
    /// <summary>
    /// The grid's event bus: the one place the stream provider is chosen. In-memory streams here; a
    /// persistent provider registered under <see cref="GridNames.StreamProvider"/> replaces it.
    /// </summary>
    /// <param name="pubSubInMemory">Keep stream subscriptions in memory (one process); cluster mode stores them in its database.</param>
    public static ISiloBuilder AddAgentGridEventBus(this ISiloBuilder silo, TimeSpan? pollPeriod = null, bool pubSubInMemory = true)
    {
        if (pubSubInMemory)
        {
            silo.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        }

        silo.AddMemoryStreams(GridNames.StreamProvider, streams =>
        {
            // Memory streams are pulled from their queues: the poll period bounds the delay a token
            // waits on an idle queue, so it is far below the default 100 ms.
            streams.ConfigurePartitioning(2);
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = pollPeriod ?? TimeSpan.FromMilliseconds(10)));
        });
        return silo;
    }
}
