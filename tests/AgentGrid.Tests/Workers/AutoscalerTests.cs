using AgentGrid.Contracts.Profiles;
using AgentGrid.Grains.Workers.Pool;

namespace AgentGrid.Tests.Workers;

public sealed class AutoscalerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly ModelScaling Scaling = new() { MinReplicas = 0, MaxReplicas = 4, TargetInFlightPerReplica = 4, CooldownSeconds = 30, ScaleToZeroAfterSeconds = 300 };

    private static Autoscaler.Observation Observe(int active, int inFlight, int waiting = 0, int rejected = 0, double? ttft = null,
        double idleSeconds = 0, double sinceScale = 3600, double? lowFor = null) =>
        new(active, active, inFlight, waiting, rejected, ttft, Now.AddSeconds(-idleSeconds), Now.AddSeconds(-sinceScale),
            lowFor is { } low ? Now.AddSeconds(-low) : null, Now);

    [Fact]
    public void Demand_over_the_target_adds_replicas_at_once()
    {
        var decision = Autoscaler.Decide(Scaling, Observe(active: 1, inFlight: 10, waiting: 2));

        Assert.Equal(3, decision.Desired);
        Assert.Equal(2, decision.Change);
    }

    [Fact]
    public void Replicas_stay_within_max()
    {
        Assert.Equal(4, Autoscaler.Decide(Scaling, Observe(active: 2, inFlight: 100)).Desired);
    }

    [Fact]
    public void No_change_within_the_cool_down_unless_requests_wait_with_nothing_serving()
    {
        Assert.Equal(0, Autoscaler.Decide(Scaling, Observe(active: 1, inFlight: 10, sinceScale: 5)).Change);
        Assert.Equal(0, Autoscaler.Decide(Scaling, Observe(active: 0, inFlight: 0, rejected: 3, sinceScale: 5)).Change);
        Assert.Equal(1, Autoscaler.Decide(Scaling, Observe(active: 0, inFlight: 0, waiting: 1, sinceScale: 5)).Change);
    }

    [Fact]
    public void A_pool_below_its_minimum_is_brought_back_to_it_within_the_cool_down_but_no_further()
    {
        var scaling = Scaling with { MinReplicas = 2 };

        var decision = Autoscaler.Decide(scaling, Observe(active: 0, inFlight: 12, sinceScale: 5));

        Assert.Equal(3, decision.Desired);
        Assert.Equal(2, decision.Change);
        Assert.Equal(0, Autoscaler.Decide(scaling, Observe(active: 2, inFlight: 12, sinceScale: 5)).Change);
        // A model that just failed to load waits for the cool-down like any other change.
        Assert.Equal(0, Autoscaler.Decide(scaling, Observe(active: 0, inFlight: 12, sinceScale: 5) with { LastStartFailureAt = Now.AddSeconds(-5) }).Change);
    }

    [Fact]
    public void Scale_down_waits_until_demand_stayed_low_for_a_whole_cool_down()
    {
        var first = Autoscaler.Decide(Scaling, Observe(active: 3, inFlight: 1));
        Assert.Equal(0, first.Change);
        Assert.Equal(Now, first.LowSince);

        var later = Autoscaler.Decide(Scaling, Observe(active: 3, inFlight: 1, lowFor: 31));
        Assert.Equal(-1, later.Change);
    }

    [Fact]
    public void Refused_requests_count_as_demand()
    {
        Assert.Equal(2, Autoscaler.Decide(Scaling, Observe(active: 1, inFlight: 4, rejected: 3)).Desired);
    }

    [Fact]
    public void Slow_first_tokens_add_a_replica_even_at_low_demand()
    {
        var scaling = Scaling with { TargetTtftMs = 500 };

        var decision = Autoscaler.Decide(scaling, Observe(active: 1, inFlight: 1, ttft: 900));

        Assert.Equal(2, decision.Desired);
        Assert.Contains("TTFT", decision.Reason);
    }

    [Fact]
    public void An_idle_pool_keeps_one_replica_until_scale_to_zero_is_due()
    {
        Assert.Equal(1, Autoscaler.Decide(Scaling, Observe(active: 1, inFlight: 0, idleSeconds: 200)).Desired);

        var idle = Autoscaler.Decide(Scaling, Observe(active: 1, inFlight: 0, idleSeconds: 301, lowFor: 31));
        Assert.Equal(0, idle.Desired);
        Assert.Equal(-1, idle.Change);
        Assert.Contains("idle", idle.Reason);
    }

    [Fact]
    public void Min_replicas_are_kept_even_when_idle()
    {
        var scaling = Scaling with { MinReplicas = 2 };

        Assert.Equal(2, Autoscaler.Decide(scaling, Observe(active: 0, inFlight: 0, idleSeconds: 10_000)).Desired);
    }
}
