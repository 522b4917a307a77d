using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>
/// The replica decision of one pool, as a pure function of what the pool observed: demand (requests in flight,
/// waiting and refused) against <see cref="ModelScaling.TargetInFlightPerReplica"/>, recent TTFT against
/// <see cref="ModelScaling.TargetTtftMs"/>, idleness against <see cref="ModelScaling.ScaleToZeroAfterSeconds"/>,
/// clamped to [min, max]. Cool-down: no change within <see cref="ModelScaling.CooldownSeconds"/> of the last one (but
/// a cold start or a pool below its minimum), and a scale-down only after demand stayed low for a whole cool-down, so
/// replicas never flap.
/// </summary>
public static class Autoscaler
{
    public sealed record Observation(
        int Active, int Ready, int InFlight, int Waiting, int Rejected, double? RecentTtftMs,
        DateTimeOffset LastRequestAt, DateTimeOffset LastScaleAt, DateTimeOffset? LowSince, DateTimeOffset Now)
    {
        /// <summary>When a worker of the pool last failed while loading (a model that does not start).</summary>
        public DateTimeOffset LastStartFailureAt { get; init; } = DateTimeOffset.MinValue;
    }

    public sealed record Decision(int Desired, int Change, string Reason, DateTimeOffset? LowSince);

    public static Decision Decide(ModelScaling scaling, Observation o)
    {
        var demand = o.InFlight + o.Waiting + o.Rejected;
        var byLoad = (int)Math.Ceiling(demand / (double)scaling.TargetInFlightPerReplica);
        var reason = $"{demand} requests in flight, waiting or refused; target {scaling.TargetInFlightPerReplica} per replica";
        if (scaling.TargetTtftMs is { } targetTtft && o.RecentTtftMs is { } ttft && ttft > targetTtft && o.Ready > 0)
        {
            byLoad = Math.Max(byLoad, o.Active + 1);
            reason = $"recent TTFT {ttft:0} ms over the {targetTtft} ms target";
        }

        var idleFor = o.Now - o.LastRequestAt;
        var idle = scaling.ScaleToZeroAfterSeconds is { } zeroAfter && idleFor >= TimeSpan.FromSeconds(zeroAfter);
        // Without scale-to-zero a pool that has replicas keeps at least one.
        var floor = idle ? scaling.MinReplicas : Math.Max(scaling.MinReplicas, o.Active > 0 || demand > 0 ? 1 : 0);
        if (idle && byLoad == 0 && o.Active > scaling.MinReplicas)
        {
            reason = $"idle for {idleFor.TotalSeconds:0} s (scale to zero after {scaling.ScaleToZeroAfterSeconds} s)";
        }

        var desired = Math.Clamp(Math.Max(byLoad, floor), scaling.MinReplicas, scaling.MaxReplicas);
        var cooledDown = o.Now - o.LastScaleAt >= TimeSpan.FromSeconds(scaling.CooldownSeconds);
        if (desired > o.Active)
        {
            // A cold start with requests waiting, and a pool below its minimum (a worker was lost or its node shut down),
            // cannot wait for a cool-down: the minimum is restored at once, more only after the cool-down. Not after a
            // failed start, though: a model that does not load is tried again once per cool-down, not every tick.
            var startFailedLately = o.Now - o.LastStartFailureAt < TimeSpan.FromSeconds(scaling.CooldownSeconds);
            var change = cooledDown || (o.Active == 0 && o.Waiting > 0) ? desired - o.Active
                : o.Active < scaling.MinReplicas && !startFailedLately ? scaling.MinReplicas - o.Active : 0;
            return new Decision(desired, change, reason, null);
        }

        if (desired < o.Active)
        {
            var lowSince = o.LowSince ?? o.Now;
            var stable = o.Now - lowSince >= TimeSpan.FromSeconds(scaling.CooldownSeconds);
            return new Decision(desired, cooledDown && stable ? -1 : 0, reason, lowSince);
        }

        return new Decision(desired, 0, reason, null);
    }
}
