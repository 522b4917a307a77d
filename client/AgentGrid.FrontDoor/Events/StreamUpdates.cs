using System.Threading.Channels;
using Orleans.Streams;

namespace AgentGrid.FrontDoor.Events;

/// <summary>
/// One SSE client's live updates from an Orleans stream: a bounded buffer that drops the oldest update when the client
/// is slow (it reads the resource again to catch up), holding the client's stream slot until it is disposed.
/// </summary>
public sealed class StreamUpdates<T> : IAsyncDisposable
{
    private const int Buffer = 256;
    private readonly Channel<T> _updates = Channel.CreateBounded<T>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly IDisposable _slot;
    private StreamSubscriptionHandle<T>? _handle;

    private StreamUpdates(IDisposable slot) => _slot = slot;

    public ChannelReader<T> Reader => _updates.Reader;

    /// <summary>Subscribes before the caller reads the resource, so no update after that read is missed.</summary>
    public static async Task<StreamUpdates<T>> SubscribeAsync(IClusterClient client, StreamId stream, IDisposable slot)
    {
        var updates = new StreamUpdates<T>(slot);
        try
        {
            updates._handle = await client.GetStreamProvider(Contracts.GridNames.StreamProvider).GetStream<T>(stream).SubscribeAsync((update, _) =>
            {
                updates._updates.Writer.TryWrite(update);
                return Task.CompletedTask;
            });
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        return updates;
    }

    public async ValueTask DisposeAsync()
    {
        _slot.Dispose();
        if (Interlocked.Exchange(ref _handle, null) is { } handle)
        {
            await handle.UnsubscribeAsync();
        }
    }
}
