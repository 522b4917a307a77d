using AgentGrid.Contracts.Errors;
using Orleans.Storage;

namespace AgentGrid.Grains.Storage;

/// <summary>
/// Wraps a database-backed grain storage so a database that does not answer surfaces as <c>service_unavailable</c>
/// wherever it happens (a write, or an activation reading its state), never as a driver exception that a front door
/// could not even deserialize. <paramref name="onOutage"/> lets the driver drop connections the outage broke, so the
/// next call after the database returns opens fresh ones.
/// </summary>
public sealed class OutageTranslatingGrainStorage(IGrainStorage inner, Action onOutage) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    // A read is retried once: after the database restarts, the first use of each pooled connection fails, and a
    // read (unlike a write, which might have committed) is safe to repeat on a fresh one.
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(() => inner.ReadStateAsync(stateName, grainId, grainState), retry: true);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task Translate(Func<Task> operation, bool retry = false)
    {
        try
        {
            try
            {
                await operation();
            }
            catch (Exception e) when (retry && e is not InconsistentStateException && IsStorageOutage(e))
            {
                onOutage();
                await operation();
            }
        }
        catch (Exception e) when (e is not InconsistentStateException && IsStorageOutage(e))
        {
            onOutage();
            throw new AgentGridException(ErrorCodes.ServiceUnavailable, "The grid's storage is unavailable; nothing was changed. Try again.") { RetryAfterSeconds = 5 };
        }
    }

    internal static bool IsStorageOutage(Exception exception) =>
        exception.SelfAndCauses().Any(e => e is System.Data.Common.DbException or System.Net.Sockets.SocketException);
}
