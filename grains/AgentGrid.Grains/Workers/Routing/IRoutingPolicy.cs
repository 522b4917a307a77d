namespace AgentGrid.Grains.Workers.Routing;

/// <summary>Chooses the worker for one request among a pool's ready workers; null when none can take it.</summary>
public interface IRoutingPolicy
{
    RoutingChoice? Choose(string affinityKey, string? prefixKey, IReadOnlyList<RoutingCandidate> candidates);

    public static IRoutingPolicy For(string name) => name switch
    {
        Contracts.Profiles.RoutingPolicies.RoundRobin => new RoundRobinPolicy(),
        _ => new LeastLoadedAffinityPolicy(),
    };
}

public sealed record RoutingChoice(string WorkerId, bool AffinityHit);
