using System.Collections.Concurrent;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace AgentGrid.FrontDoor.Agents;

/// <summary>
/// What a request's <c>model</c> names among a tenant's agents (by name, then by id), kept by the front door so the
/// hot path asks no grain. A tenant's entries are dropped when its agent index announces a change (on the event bus,
/// within about its poll period), and none is older than <see cref="Staleness"/> whatever happens to announcements.
/// Names that are no agent are kept too (they are usually model names).
/// </summary>
public sealed class AgentDirectory(IClusterClient client, TimeProvider time, ILogger<AgentDirectory> logger)
{
    public static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Task? _following;

    /// <summary>The agent <paramref name="model"/> names in <paramref name="tenant"/>, or null when it names none.</summary>
    public async ValueTask<Agent?> FindAsync(string tenant, string model)
    {
        Follow();
        var entries = _tenants.GetOrAdd(tenant, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        var now = time.GetUtcNow();
        if (entries.TryGetValue(model, out var kept) && kept.Until > now)
        {
            return kept.Agent;
        }

        var agent = await LookUpAsync(tenant, model);
        if (entries.Count > 10_000)
        {
            entries.Clear();
        }

        entries[model] = new Entry(agent, now + Staleness);
        return agent;
    }

    private async Task<Agent?> LookUpAsync(string tenant, string model)
    {
        if (await client.GetGrain<IAgentIndexGrain>(tenant).FindByNameAsync(model) is { } named)
        {
            return await client.GetGrain<IAgentGrain>(GrainKeys.For(tenant, named.Id)).GetAsync();
        }

        if (!model.StartsWith("agt_", StringComparison.Ordinal) || !GrainKeys.IsValidId(model))
        {
            return null;
        }

        try
        {
            return await client.GetGrain<IAgentGrain>(GrainKeys.For(tenant, model)).GetAsync();
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.AgentNotFound)
        {
            // Not an agent id after all; it may still be a model name.
            return null;
        }
    }

    /// <summary>Subscribes to the agent indexes' announcements once; a failure leaves the cache to its expiry.</summary>
    private void Follow()
    {
        if (_following is not null)
        {
            return;
        }

        lock (_lock)
        {
            _following ??= Task.Run(async () =>
            {
                try
                {
                    await client.GetStreamProvider(GridNames.StreamProvider)
                        .GetStream<string>(StreamId.Create(GridNames.AgentChangesStreamNamespace, GridNames.ClusterStreamKey))
                        .SubscribeAsync((tenant, _) =>
                        {
                            _tenants.TryRemove(tenant, out ConcurrentDictionary<string, Entry>? _);
                            return Task.CompletedTask;
                        });
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "The front door could not follow agent changes; cached agents expire after {Staleness}", Staleness);
                }
            });
        }
    }

    private sealed record Entry(Agent? Agent, DateTimeOffset Until);
}
