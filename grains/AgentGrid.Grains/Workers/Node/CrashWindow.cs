namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// When a crashed server is started again: after a backoff that doubles with each crash in the window (capped at five minutes),
/// until <c>maxCrashes</c> crashes fall within the window, when the worker gives up.
/// </summary>
public sealed class CrashWindow(int maxCrashes, TimeSpan window, TimeSpan backoff)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly Queue<DateTimeOffset> _crashes = new();

    /// <summary>Records a crash at <paramref name="now"/>; null means give up, else wait this long and restart.</summary>
    public TimeSpan? Crashed(DateTimeOffset now)
    {
        _crashes.Enqueue(now);
        while (_crashes.Peek() < now - window)
        {
            _crashes.Dequeue();
        }

        if (_crashes.Count >= maxCrashes)
        {
            return null;
        }

        var doubled = backoff.Ticks * (1L << Math.Min(_crashes.Count - 1, 20));
        return TimeSpan.FromTicks(Math.Min(doubled, MaxBackoff.Ticks));
    }

    /// <summary>Crashes within the window at the last record.</summary>
    public int Count => _crashes.Count;
}
