using AgentGrid.Grains.Workers.Routing;

namespace AgentGrid.Tests.Workers;

public sealed class RoutingPolicyTests
{
    private static RoutingCandidate Worker(string id, int inFlight, int max = 4, int queue = 4) => new(id, inFlight, max, queue);

    [Fact]
    public void A_session_returns_to_the_worker_holding_its_prefix()
    {
        var policy = new LeastLoadedAffinityPolicy();
        var first = policy.Choose("session-1", null, [Worker("a", 0), Worker("b", 0)])!;

        // The other worker is now less loaded, but the first still has a free slot.
        var again = policy.Choose("session-1", null, first.WorkerId == "a" ? [Worker("a", 1), Worker("b", 0)] : [Worker("a", 0), Worker("b", 1)])!;

        Assert.False(first.AffinityHit);
        Assert.True(again.AffinityHit);
        Assert.Equal(first.WorkerId, again.WorkerId);
    }

    [Fact]
    public void A_new_conversation_goes_where_its_shared_prefix_was_served()
    {
        var policy = new LeastLoadedAffinityPolicy();
        var first = policy.Choose("session-1", "agent-prompt", [Worker("a", 0), Worker("b", 0), Worker("c", 0)])!;

        var other = policy.Choose("session-2", "agent-prompt", [Worker("a", 1), Worker("b", 1), Worker("c", 1)])!;

        Assert.Equal(first.WorkerId, other.WorkerId);
        Assert.True(other.AffinityHit);
    }

    [Fact]
    public void A_warm_worker_much_busier_than_the_others_is_passed_over()
    {
        var policy = new LeastLoadedAffinityPolicy();
        Assert.Equal("a", policy.Choose("s", null, [Worker("a", 0, max: 8), Worker("b", 1, max: 8)])!.WorkerId);

        // Slack is a quarter of the slots (2 of 8): three more in flight than the least-loaded is too many.
        Assert.True(policy.Choose("s", null, [Worker("a", 2, max: 8), Worker("b", 0, max: 8)])!.AffinityHit);
        var spilled = policy.Choose("s", null, [Worker("a", 3, max: 8), Worker("b", 0, max: 8)])!;
        Assert.Equal(("b", false), (spilled.WorkerId, spilled.AffinityHit));
    }

    [Fact]
    public void A_session_spills_to_the_least_loaded_worker_when_its_worker_has_no_free_slot()
    {
        var policy = new LeastLoadedAffinityPolicy();
        var first = policy.Choose("s", null, [Worker("a", 0), Worker("b", 3)])!;
        Assert.Equal("a", first.WorkerId);

        var spilled = policy.Choose("s", null, [Worker("a", 4), Worker("b", 1)])!;

        Assert.Equal("b", spilled.WorkerId);
        Assert.False(spilled.AffinityHit);
    }

    [Fact]
    public void New_keys_spread_over_equally_loaded_workers()
    {
        var policy = new LeastLoadedAffinityPolicy();
        var chosen = Enumerable.Range(0, 200).Select(i => policy.Choose($"s{i}", null, [Worker("a", 0), Worker("b", 0), Worker("c", 0)])!.WorkerId).ToList();

        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.InRange(chosen.Count(c => c == id), 40, 100);
        }
    }

    [Fact]
    public void Full_workers_are_never_chosen()
    {
        Assert.Null(new LeastLoadedAffinityPolicy().Choose("s", null, [Worker("a", 8), Worker("b", 8)]));
        Assert.Null(new RoundRobinPolicy().Choose("s", null, [Worker("a", 8), Worker("b", 8)]));
        Assert.Equal("b", new LeastLoadedAffinityPolicy().Choose("s", null, [Worker("a", 8), Worker("b", 7)])!.WorkerId);
    }

    [Fact]
    public void Round_robin_takes_each_worker_in_turn_whatever_the_key()
    {
        var policy = new RoundRobinPolicy();
        var workers = new[] { Worker("a", 0), Worker("b", 0), Worker("c", 0) };

        var chosen = Enumerable.Range(0, 6).Select(_ => policy.Choose("same", null, workers)!.WorkerId);

        Assert.Equal(["a", "b", "c", "a", "b", "c"], chosen);
    }
}
