using System.Collections.Concurrent;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Caps the event streams (SSE and SignalR) one key holds open on this front door at
/// <see cref="AuthOptions.MaxStreamsPerKey"/>: each holds a stream subscription and a connection.
/// </summary>
public sealed class StreamSlots(IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for the key, or throws <c>too_many_streams</c>; dispose the result to give it back.</summary>
    public IDisposable Take(string keyId)
    {
        var max = options.Value.MaxStreamsPerKey;
        var now = _open.AddOrUpdate(keyId, 1, (_, n) => n + 1);
        if (now > max)
        {
            Release(keyId);
            throw new AgentGridException(ErrorCodes.TooManyStreams, $"This key already has {max} event streams open, the most allowed at once.");
        }

        return new Slot(this, keyId);
    }

    public int OpenFor(string keyId) => _open.GetValueOrDefault(keyId);

    private void Release(string keyId)
    {
        if (_open.AddOrUpdate(keyId, 0, (_, n) => n - 1) <= 0)
        {
            _open.TryRemove(new KeyValuePair<string, int>(keyId, 0));
        }
    }

    private sealed class Slot(StreamSlots slots, string keyId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release(keyId);
            }
        }
    }
}
