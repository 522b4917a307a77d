using System.Collections.Concurrent;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Events;

/// <summary>
/// One watch per session per front door: the session pushes each event once to this front door, which hands it to
/// every local subscriber of that session. The watch is renewed while subscribers remain (they ask on their quiet
/// checks) and dropped with the last one.
/// </summary>
public sealed class SessionEventRelay(IClusterClient client, ILogger<SessionEventRelay> logger)
{
    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);

    /// <summary>Watches for the sessions followed now (for tests and the operations view).</summary>
    public int Watching => _watches.Count;

    /// <summary>Hands every event the session pushes from now on to <paramref name="deliver"/>, until the result is disposed.</summary>
    public async Task<Following> FollowAsync(string sessionKey, Action<SessionEvent> deliver)
    {
        while (true)
        {
            var watch = _watches.GetOrAdd(sessionKey, key => new Watch(this, key));
            if (!watch.TryAdd(deliver))
            {
                // The last subscriber just left it; a new watch takes its place.
                continue;
            }

            var following = new Following(watch, deliver);
            try
            {
                await watch.RenewAsync(force: false);
            }
            catch
            {
                await following.DisposeAsync();
                throw;
            }

            return following;
        }
    }

    /// <summary>A subscriber's hold on a session's watch.</summary>
    public sealed class Following(Watch watch, Action<SessionEvent> deliver) : IAsyncDisposable
    {
        private int _disposed;

        /// <summary>
        /// Renews the watch when it is due, or now when <paramref name="force"/> (after a quiet spell: the session may have
        /// moved to another silo and forgotten this front door).
        /// </summary>
        public Task RenewAsync(bool force = false) => watch.RenewAsync(force);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await watch.RemoveAsync(deliver);
            }
        }
    }

    /// <summary>The front door's watch on one session, with the subscribers it serves.</summary>
    public sealed class Watch : ISessionEventObserver
    {
        private readonly SessionEventRelay _relay;
        private readonly string _sessionKey;
        private readonly ISessionGrain _session;
        private readonly ISessionEventObserver _reference;
        private readonly Lock _lock = new();
        private Action<SessionEvent>[] _listeners = [];
        private bool _closed;
        private Task? _renewal;
        private DateTimeOffset _renewedAt = DateTimeOffset.MinValue;

        internal Watch(SessionEventRelay relay, string sessionKey)
        {
            (_relay, _sessionKey) = (relay, sessionKey);
            _session = relay.Client.GetGrain<ISessionGrain>(sessionKey);
            // The reference holds this object weakly: the relay's dictionary keeps it alive while subscribers remain.
            _reference = relay.Client.CreateObjectReference<ISessionEventObserver>(this);
        }

        public Task OnEventAsync(SessionEvent e)
        {
            foreach (var deliver in Volatile.Read(ref _listeners))
            {
                deliver(e);
            }

            return Task.CompletedTask;
        }

        internal bool TryAdd(Action<SessionEvent> deliver)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return false;
                }

                _listeners = [.. _listeners, deliver];
                return true;
            }
        }

        internal Task RenewAsync(bool force)
        {
            lock (_lock)
            {
                if (_renewal is { IsCompleted: false } running)
                {
                    return running;
                }

                if (!force && _renewal is { IsCompletedSuccessfully: true } && DateTimeOffset.UtcNow - _renewedAt < ISessionGrain.WatchLease / 3)
                {
                    return Task.CompletedTask;
                }

                return _renewal = RenewCoreAsync();
            }
        }

        private async Task RenewCoreAsync()
        {
            await _session.WatchAsync(_reference);
            _renewedAt = DateTimeOffset.UtcNow;
        }

        internal async Task RemoveAsync(Action<SessionEvent> deliver)
        {
            lock (_lock)
            {
                _listeners = [.. _listeners.Where(l => l != deliver)];
                if (_listeners.Length > 0)
                {
                    return;
                }

                _closed = true;
                _relay._watches.TryRemove(KeyValuePair.Create(_sessionKey, this));
            }

            try
            {
                await _session.UnwatchAsync(_reference);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The session may be gone with a silo; its watch lapses with its lease.
                _relay.Logger.LogDebug(e, "Unwatching session {Session} failed", _sessionKey);
            }
            finally
            {
                _relay.Client.DeleteObjectReference<ISessionEventObserver>(_reference);
            }
        }
    }

    private IClusterClient Client => client;

    private ILogger Logger => logger;
}
