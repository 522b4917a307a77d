namespace AgentGrid.Grains.Workers.Routing;

/// <summary>A ready worker as routing sees it: requests in flight against its limits.</summary>
public sealed record RoutingCandidate(string WorkerId, int InFlight, int MaxConcurrent, int MaxQueue)
{
    /// <summary>Every request it takes now runs at once (none waits in its queue).</summary>
    public bool HasFreeSlot => InFlight < MaxConcurrent;

    /// <summary>It can take one more request, running or queued.</summary>
    public bool CanAdmit => InFlight < MaxConcurrent + MaxQueue;

    public double Load => (double)InFlight / MaxConcurrent;
}
