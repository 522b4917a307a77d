using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// The silo's ingestion queue: each tenant ingests at most <see cref="KnowledgeOptions.IngestionsPerTenant"/>
/// documents at once, and all tenants together extract at most <see cref="KnowledgeOptions.ExtractionsPerSilo"/>
/// files at once, so one tenant's batch of heavy files neither starves the others nor the silo's threads. Waiters are
/// served in the order they came.
/// </summary>
public sealed class IngestionSlots(IOptions<KnowledgeOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tenants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _extractions = new(options.Value.ExtractionsPerSilo);

    /// <summary>Waits for one of the tenant's ingestion slots; dispose the result to give it back.</summary>
    public Task<IDisposable> IngestAsync(string tenant, CancellationToken cancellationToken) =>
        EnterAsync(_tenants.GetOrAdd(tenant, _ => new SemaphoreSlim(options.Value.IngestionsPerTenant)), cancellationToken);

    /// <summary>Waits for one of the silo's extraction slots; dispose the result to give it back.</summary>
    public Task<IDisposable> ExtractAsync(CancellationToken cancellationToken) => EnterAsync(_extractions, cancellationToken);

    /// <summary>Documents of the tenant ingesting now (for tests and metrics).</summary>
    public int Ingesting(string tenant) =>
        _tenants.TryGetValue(tenant, out var slots) ? options.Value.IngestionsPerTenant - slots.CurrentCount : 0;

    private static async Task<IDisposable> EnterAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
