using AgentGrid.Contracts.Workers;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>A pool's in-memory view of one worker: its last reported state and the load the pool has routed to it.</summary>
internal sealed class PoolWorker(WorkerInfo info)
{
    public WorkerInfo Info { get; set; } = info;
    public int InFlight { get; set; }
    public long Served { get; set; }

    /// <summary>A request could not reach it: no routing until its health check clears it.</summary>
    public bool Suspect { get; set; }

    /// <summary>While it drains: what it becomes once drained.</summary>
    public DrainPlan? AfterDrain { get; set; }

    /// <summary>Completed when a drain is over (see <c>IWorkerPoolGrain.WaitDrainedAsync</c>).</summary>
    public TaskCompletionSource Drained { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public DateTimeOffset DrainingSince { get; set; }
    public bool Finishing { get; set; }

    public double? TtftMs { get; private set; }
    public double? ItlMs { get; private set; }
    public double? DurationMs { get; private set; }

    public bool Routable => Info.State == WorkerStates.Ready && !Suspect && AfterDrain is null;

    public void Record(LeaseOutcome outcome, double durationMs)
    {
        // Exponentially weighted: recent requests count most, one outlier does not swing routing.
        TtftMs = Blend(TtftMs, outcome.TtftMs);
        ItlMs = Blend(ItlMs, outcome.ItlMs);
        DurationMs = Blend(DurationMs, durationMs);
    }

    public WorkerLoad Load(int maxConcurrent) =>
        new(Info.WorkerId, Math.Min(InFlight, maxConcurrent), Math.Max(0, InFlight - maxConcurrent), TtftMs, ItlMs, Served, Suspect);

    private static double? Blend(double? average, double? sample) =>
        sample is not { } s ? average : average is { } a ? a * 0.8 + s * 0.2 : s;
}
