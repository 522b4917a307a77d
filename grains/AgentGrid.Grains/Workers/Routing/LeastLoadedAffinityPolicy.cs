namespace AgentGrid.Grains.Workers.Routing;

/// <summary>
/// Load- and prefix-aware routing. A request whose affinity key (its session, or its prompt prefix) was
/// served before goes back to that worker, whose prefix cache holds it, as long as the worker has a free
/// slot; otherwise it spills to the least-loaded worker. Among equally loaded workers a new key goes where
/// rendezvous hashing puts it, so keys spread evenly and stay put as workers come and go.
/// </summary>
public sealed class LeastLoadedAffinityPolicy(int rememberedKeys = 50_000) : IRoutingPolicy
{
    private readonly Dictionary<string, LinkedListNode<(string Key, string WorkerId)>> _affinity = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, string WorkerId)> _recency = new();

    public RoutingChoice? Choose(string affinityKey, IReadOnlyList<RoutingCandidate> candidates)
    {
        if (_affinity.TryGetValue(affinityKey, out var node)
            && candidates.FirstOrDefault(c => c.WorkerId == node.Value.WorkerId) is { HasFreeSlot: true } sticky)
        {
            Remember(affinityKey, sticky.WorkerId);
            return new RoutingChoice(sticky.WorkerId, true);
        }

        RoutingCandidate? best = null;
        var bestHash = 0UL;
        foreach (var candidate in candidates)
        {
            if (!candidate.CanAdmit)
            {
                continue;
            }

            var hash = Rendezvous(affinityKey, candidate.WorkerId);
            if (best is null || candidate.Load < best.Load || (candidate.Load == best.Load && hash > bestHash))
            {
                best = candidate;
                bestHash = hash;
            }
        }

        if (best is null)
        {
            return null;
        }

        Remember(affinityKey, best.WorkerId);
        return new RoutingChoice(best.WorkerId, false);
    }

    private void Remember(string key, string workerId)
    {
        if (_affinity.Remove(key, out var existing))
        {
            _recency.Remove(existing);
        }

        _affinity[key] = _recency.AddFirst((key, workerId));
        if (_affinity.Count > rememberedKeys)
        {
            _affinity.Remove(_recency.Last!.Value.Key);
            _recency.RemoveLast();
        }
    }

    private static ulong Rendezvous(string key, string workerId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '|') * 1099511628211UL;
        foreach (var c in workerId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // A final mix so keys differing only at the end still spread.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        return hash ^ (hash >> 33);
    }
}
