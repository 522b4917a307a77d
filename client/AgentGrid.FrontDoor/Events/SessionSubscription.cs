using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Events;

/// <summary>
/// One client's view of a session's events: every event after a sequence number, retained ones
/// first, then live ones, each exactly once and in order. Live events are pushed by the session to this
/// subscription's observer (no queue poll between) into a small bounded buffer that never blocks the
/// session; when the buffer overflows (a slow client), when a sequence number is skipped, or when it has
/// been quiet for a while, the missing events are read back from the session grain instead, and the watch
/// is renewed (a session that moved to another silo learns of this follower again). Memory per client stays bounded.
/// </summary>
public sealed class SessionSubscription : IAsyncDisposable
{
    private readonly ISessionGrain _session;
    private readonly Channel<SessionEvent> _inbox;
    private readonly TimeSpan _quietCheck;
    private readonly ILogger _logger;
    private SessionEventRelay.Following? _following;
    private readonly SortedDictionary<long, SessionEvent> _pending = [];
    private readonly int _capacity;
    private int _overflowed;
    private long _last;

    /// <summary>How long a gap in the pushed sequence may stay open before the missing events are read back.</summary>
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(200);

    private SessionSubscription(ISessionGrain session, long after, int bufferCapacity, TimeSpan quietCheck, ILogger logger)
    {
        _inbox = Channel.CreateBounded<SessionEvent>(
            new BoundedChannelOptions(bufferCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _logger = logger;
        _session = session;
        _last = after;
        _quietCheck = quietCheck;
        _capacity = bufferCapacity;
    }

    /// <summary>Follows the session before anything is read, so no event published from now on can be missed.</summary>
    public static async Task<SessionSubscription> OpenAsync(
        SessionEventRelay relay, string sessionKey, ISessionGrain session, long after, int bufferCapacity, TimeSpan quietCheck, ILogger logger)
    {
        var subscription = new SessionSubscription(session, after, bufferCapacity, quietCheck, logger);
        subscription._following = await relay.FollowAsync(sessionKey, subscription.Deliver);
        return subscription;
    }

    private void Deliver(SessionEvent e)
    {
        if (!_inbox.Writer.TryWrite(e))
        {
            Interlocked.Exchange(ref _overflowed, 1);
        }
    }

    /// <summary>
    /// Ends the read with <paramref name="error"/> once the events already pushed are read: how a send that fails before its
    /// turn publishes anything (refused by a limit, say) reaches a reader that follows that turn on this subscription.
    /// </summary>
    public void End(Exception error) => _inbox.Writer.TryComplete(error is OperationCanceledException
        // A cancellation would read as a quiet moment (and be retried for ever); the turn was stopped.
        ? new AgentGridException(ErrorCodes.TurnCancelled, "The message was cancelled before it was accepted.")
        : error);

    /// <summary>The sequence number of the last event handed out.</summary>
    public long LastSequence => _last;

    public async IAsyncEnumerable<SessionEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in await CatchUpAsync())
        {
            yield return e;
        }

        while (true)
        {
            if (!await WaitForLiveAsync(cancellationToken))
            {
                await _following!.RenewAsync(force: true);

                foreach (var e in await CatchUpAsync())
                {
                    yield return e;
                }

                continue;
            }

            // A busy session is renewed as it goes, not only when it falls quiet.
            await _following!.RenewAsync();

            // Pushes can arrive out of order: they wait here for the ones before them.
            while (_inbox.Reader.TryRead(out var live))
            {
                if (live.Sequence > _last)
                {
                    _pending[live.Sequence] = live;
                }
            }

            while (_pending.Remove(_last + 1, out var next))
            {
                yield return Take(next);
            }

            if (_pending.Count > 0 && (_pending.Count > _capacity || !await WaitForLiveAsync(cancellationToken, GapWait)))
            {
                // A gap that does not fill: the missing events are read back (with everything after them).
                _pending.Clear();
                foreach (var e in await CatchUpAsync())
                {
                    yield return e;
                }
            }

            // Checked once the buffer is drained: what was dropped is read back now, not at the next quiet check.
            if (Interlocked.Exchange(ref _overflowed, 0) == 1)
            {
                foreach (var e in await CatchUpAsync())
                {
                    yield return e;
                }
            }
        }
    }

    private SessionEvent Take(SessionEvent e)
    {
        _last = e.Sequence;
        return e;
    }

    /// <summary>Everything after the last event handed out, read back from the session.</summary>
    private async Task<IReadOnlyList<SessionEvent>> CatchUpAsync()
    {
        var missed = await _session.GetEventsAsync(_last);
        if (missed.Count > 0)
        {
            _last = missed[^1].Sequence;
        }

        while (_pending.Count > 0 && _pending.First().Key <= _last)
        {
            _pending.Remove(_pending.First().Key);
        }

        return missed;
    }

    private async Task<bool> WaitForLiveAsync(CancellationToken cancellationToken, TimeSpan? within = null)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(within ?? _quietCheck);
        try
        {
            return await _inbox.Reader.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _following, null) is { } following)
        {
            await following.DisposeAsync();
        }
    }
}
