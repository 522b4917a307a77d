using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace AgentGrid.FrontDoor.Events;

/// <summary>
/// One client's view of a session's events: every event after a sequence number, retained ones
/// first, then live ones, each exactly once and in order. Live events arrive from the Orleans stream
/// into a small bounded buffer that never blocks the stream; when the buffer overflows (a slow
/// client), when a sequence number is skipped, or when the stream has been quiet for a while, the
/// missing events are read back from the session grain instead. Memory per client stays bounded.
/// </summary>
public sealed class SessionSubscription : IAsyncDisposable
{
    private readonly ISessionGrain _session;
    private readonly Channel<SessionEvent> _inbox;
    private readonly TimeSpan _quietCheck;
    private readonly ILogger _logger;
    private StreamSubscriptionHandle<SessionEvent>? _handle;
    private int _overflowed;
    private long _last;

    private SessionSubscription(ISessionGrain session, long after, int bufferCapacity, TimeSpan quietCheck, ILogger logger)
    {
        _inbox = Channel.CreateBounded<SessionEvent>(
            new BoundedChannelOptions(bufferCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _logger = logger;
        _session = session;
        _last = after;
        _quietCheck = quietCheck;
    }

    /// <summary>Subscribes before anything is read, so no event published from now on can be missed.</summary>
    public static async Task<SessionSubscription> OpenAsync(
        ISessionGrain session, IAsyncStream<SessionEvent> stream, long after, int bufferCapacity, TimeSpan quietCheck, ILogger logger)
    {
        var subscription = new SessionSubscription(session, after, bufferCapacity, quietCheck, logger);
        subscription._handle = await stream.SubscribeAsync((e, _) =>
        {
            if (!subscription._inbox.Writer.TryWrite(e))
            {
                Interlocked.Exchange(ref subscription._overflowed, 1);
            }

            return Task.CompletedTask;
        });
        return subscription;
    }

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
                foreach (var e in await CatchUpAsync())
                {
                    yield return e;
                }

                continue;
            }

            while (_inbox.Reader.TryRead(out var live))
            {
                if (live.Sequence <= _last)
                {
                    continue;
                }

                var events = live.Sequence == _last + 1 ? [Take(live)] : await CatchUpAsync();
                foreach (var e in events)
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

        return missed;
    }

    private async Task<bool> WaitForLiveAsync(CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(_quietCheck);
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
        if (Interlocked.Exchange(ref _handle, null) is { } handle)
        {
            try
            {
                await handle.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The stream's rendezvous may be gone with a silo; the subscription dies with it.
                _logger.LogDebug(e, "Unsubscribing from session stream failed");
            }
        }
    }
}
