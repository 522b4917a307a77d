using Orleans.Runtime;
using Orleans.Storage;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>Which grain-state writes fail, switched on and off by a test while the cluster runs.</summary>
public sealed class StorageFaults
{
    private readonly Dictionary<string, int> _failingWrites = [];

    /// <summary>Writes of <paramref name="stateName"/> fail, after the next <paramref name="succeedFirst"/> succeed.</summary>
    public void FailWritesOf(string stateName, int succeedFirst = 0)
    {
        lock (_failingWrites)
        {
            _failingWrites[stateName] = succeedFirst;
        }
    }

    public void Heal()
    {
        lock (_failingWrites)
        {
            _failingWrites.Clear();
        }
    }

    public bool WriteFails(string stateName)
    {
        lock (_failingWrites)
        {
            if (!_failingWrites.TryGetValue(stateName, out var allowed))
            {
                return false;
            }

            _failingWrites[stateName] = allowed - 1;
            return allowed <= 0;
        }
    }
}

/// <summary>Real storage in front of which chosen writes fail the way a storage outage does.</summary>
public sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        faults.WriteFails(stateName)
            ? throw new IOException($"Injected storage failure writing '{stateName}'.")
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        faults.WriteFails(stateName)
            ? throw new IOException($"Injected storage failure clearing '{stateName}'.")
            : inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

/// <summary>
/// Real records in front of which chosen writes fail: a partition's writes count as writes of the state named by its
/// first segment (<c>session/…</c> fails with <c>FailWritesOf("session")</c>).
/// </summary>
public sealed class FaultyRecordStore(AgentGrid.Grains.Records.IRecordStore inner, StorageFaults faults) : AgentGrid.Grains.Records.IRecordStore
{
    public Task PutAsync(string partition, IReadOnlyList<AgentGrid.Grains.Records.StoredRecord> records, CancellationToken cancellationToken = default) =>
        faults.WriteFails(partition.Split('/')[0])
            ? throw new IOException($"Injected storage failure writing '{partition}'.")
            : inner.PutAsync(partition, records, cancellationToken);

    public Task<IReadOnlyList<AgentGrid.Grains.Records.StoredRecord>> ReadAsync(string partition, AgentGrid.Grains.Records.RecordQuery query, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(partition, query, cancellationToken);

    public Task<int> DeleteAsync(string partition, AgentGrid.Grains.Records.RecordQuery query, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(partition, query, cancellationToken);
}
