using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// Numbers a session's events, keeps the most recent ones in memory for replay (the stored ones are read back when
/// the session activates), hands the ones not yet stored (all but tokens) to the next write, and publishes each on the session's
/// followers (front doors serving subscribers) by a one-way push, with no queue poll between. Publishing is best effort: a
/// subscriber that misses one sees the gap in the sequence numbers and
/// reads it back from the retained events.
/// </summary>
internal sealed class SessionEventLog(List<SessionEvent> retained, SessionWatchers watchers, int maxRetained)
{
    private readonly List<SessionEvent> _unsaved = [];
    private long _last = retained.Count > 0 ? retained[^1].Sequence : 0;

    // Replays hand out only events that were published (or stored before this activation): an event
    // whose write failed is never seen, so its sequence number can never be seen twice.
    private long _visible = retained.Count > 0 ? retained[^1].Sequence : 0;

    /// <summary>
    /// How far the sequence jumps after a turn was cut off by a crash: events the lost activation had
    /// published but not stored must never see their numbers reused.
    /// </summary>
    public const long SequenceGapAfterInterruption = 1_000_000;

    public SessionEvent Append(SessionEvent draft)
    {
        var recorded = draft with { Sequence = ++_last };
        retained.Add(recorded);
        // Tokens are kept for replay while the session is active, but not stored: the turn's message.completed carries
        // the whole reply, and a turn cut off mid-reply fails anyway. A turn stores a few rows, not one per token.
        if (recorded.Type != SessionEventTypes.Token)
        {
            _unsaved.Add(recorded);
        }
        if (retained.Count > maxRetained)
        {
            retained.RemoveRange(0, retained.Count - maxRetained);
        }

        return recorded;
    }

    public void SkipAhead(long count) => _last += count;

    /// <summary>The last sequence number handed out; it never goes back, even when events are dropped.</summary>
    public long LastSequence => _last;

    /// <summary>Events appended since the last write, which the next write stores; taking them marks them stored.</summary>
    public IReadOnlyList<SessionEvent> TakeUnsaved()
    {
        var events = _unsaved.ToList();
        _unsaved.Clear();
        return events;
    }

    /// <summary>
    /// When the process stopped mid-turn (the log ends with its <c>message.accepted</c> or a tool step), the <c>turn.failed</c>
    /// that closes it, appended past any sequence numbers the lost turn may have published; otherwise null.
    /// </summary>
    public SessionEvent? CloseInterruptedTurn(DateTimeOffset at)
    {
        if (retained is not [.., { Type: SessionEventTypes.MessageAccepted or SessionEventTypes.ToolCalled or SessionEventTypes.ToolCompleted
            or SessionEventTypes.ToolFailed or SessionEventTypes.Token } accepted])
        {
            return null;
        }

        SkipAhead(SequenceGapAfterInterruption);
        return Append(new SessionEvent
        {
            Type = SessionEventTypes.TurnFailed,
            TurnId = accepted.TurnId,
            At = at,
            Code = Contracts.Errors.ErrorCodes.TurnInterrupted,
            Error = "The grid stopped while this reply was being generated; send the message again.",
        });
    }

    public Task PublishAsync(SessionEvent recorded)
    {
        _visible = Math.Max(_visible, recorded.Sequence);
        watchers.Push(recorded);
        return Task.CompletedTask;
    }

    /// <summary>The last sequence number a client can have seen.</summary>
    public long VisibleSequence => _visible;

    /// <summary>Events whose write failed but which were shown: the next write tries them again.</summary>
    public void Requeue(IEnumerable<SessionEvent> unstored) => _unsaved.InsertRange(0, unstored);

    /// <summary>Takes back events whose write failed; their numbers are never handed out, nor reused in this activation.</summary>
    public void Retract(IEnumerable<SessionEvent> unstored)
    {
        foreach (var recorded in unstored)
        {
            retained.Remove(recorded);
        }
    }

    /// <summary>
    /// The visible events after <paramref name="sequence"/>; <c>events_expired</c> when some that
    /// followed it are no longer retained. A turn closed after a crash legitimately jumps ahead.
    /// </summary>
    public IReadOnlyList<SessionEvent> After(long sequence)
    {
        if (sequence > _visible)
        {
            // Such a client would take every new event for one it has already seen.
            throw AgentGridException.Validation("after", $"The session's last event is {_visible}; {sequence} is beyond it.");
        }

        var after = retained.Where(e => e.Sequence > sequence && e.Sequence <= _visible).ToList();
        // Expired only when the window has moved past the client's last event. Gaps inside it lose nothing: they are the
        // tokens of turns stored without them (their message.completed carries the reply) or the jump after an
        // interrupted turn (its turn.failed follows).
        var expired = sequence > 0 && retained.Count > 0 && sequence < retained[0].Sequence - 1;
        return expired
            ? throw new AgentGridException(ErrorCodes.EventsExpired,
                $"Events after {sequence} are no longer retained (the oldest kept is {retained[0].Sequence}); reload the session's messages.")
            : after;
    }
}
