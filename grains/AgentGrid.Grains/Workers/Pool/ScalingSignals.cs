namespace AgentGrid.Grains.Workers.Pool;

/// <summary>What a pool notices between autoscaler ticks, and what the autoscaler last decided.</summary>
internal sealed class ScalingSignals
{
    private readonly List<double> _ttftWindow = [];
    private int _rejectedSinceTick;

    public DateTimeOffset LastRequestAt { get; set; }
    public DateTimeOffset LastScaleAt { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset? LowSince { get; set; }
    public DateTimeOffset LastStartFailureAt { get; set; } = DateTimeOffset.MinValue;
    public int LastDesired { get; set; }

    /// <summary>The last scaling decision, as <c>GET /api/workers</c> shows it.</summary>
    public string? LastDecision { get; set; }

    /// <summary>Why the last scale-up could not happen; a block is announced once until it changes.</summary>
    public string? LastBlocked { get; set; }

    /// <summary>A cold start was asked of the next tick, which has not run yet.</summary>
    public bool ColdStartPending { get; set; }

    public void Served(double? ttftMs)
    {
        if (ttftMs is { } ttft)
        {
            _ttftWindow.Add(ttft);
        }
    }

    public void Refused() => _rejectedSinceTick++;

    /// <summary>This tick's observation for <see cref="Autoscaler.Decide"/>; the window starts again.</summary>
    public Autoscaler.Observation Observe(int active, int ready, int inFlight, int waiting, DateTimeOffset now)
    {
        var observation = new Autoscaler.Observation(active, ready, inFlight, waiting, _rejectedSinceTick,
            _ttftWindow.Count > 0 ? _ttftWindow.Average() : null, LastRequestAt, LastScaleAt, LowSince, now)
        {
            LastStartFailureAt = LastStartFailureAt,
        };
        _rejectedSinceTick = 0;
        _ttftWindow.Clear();
        ColdStartPending = false;
        return observation;
    }
}
