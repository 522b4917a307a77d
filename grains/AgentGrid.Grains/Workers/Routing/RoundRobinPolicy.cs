namespace AgentGrid.Grains.Workers.Routing;

/// <summary>The baseline: each request to the next worker in turn, skipping full ones.</summary>
public sealed class RoundRobinPolicy : IRoutingPolicy
{
    private long _next;

    public RoutingChoice? Choose(string affinityKey, string? prefixKey, IReadOnlyList<RoutingCandidate> candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[(int)(_next++ % candidates.Count)];
            if (candidate.CanAdmit)
            {
                return new RoutingChoice(candidate.WorkerId, false);
            }
        }

        return null;
    }
}
