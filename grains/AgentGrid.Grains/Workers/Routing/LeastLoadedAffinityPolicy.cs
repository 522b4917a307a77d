namespace AgentGrid.Grains.Workers.Routing;

/// <summary>
/// Load- and prefix-aware routing. A conversation goes back to the worker that served it (its prefix cache holds
/// the whole history); a new conversation goes to the worker that last served its shared prefix (the agent's system
/// prompt). Either only while that worker has a free slot and is at most <see cref="Slack"/> requests busier than
/// the least-loaded one; otherwise the request spills to the least-loaded worker. Among equally loaded workers a
/// prefix goes where rendezvous hashing puts it, so prefixes spread evenly and stay put as workers come and go.
/// </summary>
public sealed class LeastLoadedAffinityPolicy(int rememberedKeys = 50_000) : IRoutingPolicy
{
    private readonly AffinityMemory _conversations = new(rememberedKeys);
    private readonly AffinityMemory _prefixes = new(rememberedKeys);

    /// <summary>How much busier than the least-loaded worker a cache-warm worker may be and still be chosen.</summary>
    public static int Slack(RoutingCandidate candidate) => Math.Max(1, candidate.MaxConcurrent / 4);

    public RoutingChoice? Choose(string affinityKey, string? prefixKey, IReadOnlyList<RoutingCandidate> candidates)
    {
        var admittable = candidates.Where(c => c.CanAdmit).ToList();
        if (admittable.Count == 0)
        {
            return null;
        }

        var least = admittable.Min(c => c.InFlight);
        foreach (var warm in new[] { _conversations.WorkerOf(affinityKey), _prefixes.WorkerOf(prefixKey) })
        {
            if (warm is not null && admittable.FirstOrDefault(c => c.WorkerId == warm) is { HasFreeSlot: true } candidate
                && candidate.InFlight <= least + Slack(candidate))
            {
                return Remember(affinityKey, prefixKey, candidate.WorkerId, hit: true);
            }
        }

        var spreadKey = prefixKey ?? affinityKey;
        var best = admittable.OrderBy(c => c.Load).ThenByDescending(c => Rendezvous(spreadKey, c.WorkerId)).First();
        return Remember(affinityKey, prefixKey, best.WorkerId, hit: false);
    }

    private RoutingChoice Remember(string affinityKey, string? prefixKey, string workerId, bool hit)
    {
        _conversations.Remember(affinityKey, workerId);
        _prefixes.Remember(prefixKey, workerId);
        return new RoutingChoice(workerId, hit);
    }

    private static ulong Rendezvous(string key, string workerId)
    {
        var hash = Inference.Fnv1a.Append(Inference.Fnv1a.Append(Inference.Fnv1a.Hash(key), '|'), workerId);
        // A final mix so keys differing only at the end still spread.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        return hash ^ (hash >> 33);
    }
}
