using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Storage;

namespace AgentGrid.Grains.Records;

/// <summary>A database that does not answer reaches callers as <c>service_unavailable</c>, as with grain state.</summary>
public sealed class OutageTranslatingRecordStore(IRecordStore inner, Action onOutage) : IRecordStore, IAsyncDisposable
{
    /// <summary>Lets the store's writer finish what is queued when the silo stops.</summary>
    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    public Task PutAsync(string partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken = default) =>
        Translate(() => inner.PutAsync(partition, records, cancellationToken));

    public Task<IReadOnlyList<StoredRecord>> ReadAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default) =>
        Translate(() => inner.ReadAsync(partition, query, cancellationToken));

    public Task<int> DeleteAsync(string partition, RecordQuery query, CancellationToken cancellationToken = default) =>
        Translate(() => inner.DeleteAsync(partition, query, cancellationToken));

    private async Task Translate(Func<Task> operation) => await Translate(async () =>
    {
        await operation();
        return true;
    });

    private async Task<T> Translate<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (OutageTranslatingGrainStorage.IsStorageOutage(e))
        {
            onOutage();
            throw new AgentGridException(ErrorCodes.ServiceUnavailable, "The grid's storage is unavailable; nothing was changed. Try again.") { RetryAfterSeconds = 5 };
        }
    }
}
