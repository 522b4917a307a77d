using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>The followers a session pushes its events to, each until its lease runs out.</summary>
internal sealed class SessionWatchers(TimeProvider time)
{
    private readonly Dictionary<ISessionEventObserver, DateTimeOffset> _until = [];

    /// <summary>Whether some follower's lease still holds: whether anyone can see the session's events live.</summary>
    public bool AnyLive
    {
        get
        {
            var now = time.GetUtcNow();
            foreach (var until in _until.Values)
            {
                if (until >= now)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Watch(ISessionEventObserver observer) => _until[observer] = time.GetUtcNow() + ISessionGrain.WatchLease;

    public void Unwatch(ISessionEventObserver observer) => _until.Remove(observer);

    /// <summary>Pushes <paramref name="e"/> to every follower whose lease holds (one-way: nothing waits for them).</summary>
    public void Push(SessionEvent e)
    {
        if (_until.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        List<ISessionEventObserver>? expired = null;
        foreach (var (observer, until) in _until)
        {
            if (until < now)
            {
                (expired ??= []).Add(observer);
                continue;
            }

            observer.OnEventAsync(e).Ignore();
        }

        foreach (var observer in expired ?? [])
        {
            _until.Remove(observer);
        }
    }
}
