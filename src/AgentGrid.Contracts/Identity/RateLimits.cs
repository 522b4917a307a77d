namespace AgentGrid.Contracts.Identity;

/// <summary>Limits on model calls, per key or per tenant; null means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.rate-limits")]
public sealed record RateLimits
{
    /// <summary>Model calls started in any 60 s window.</summary>
    [Id(0)] public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens (input + output, as the backend reported them) used in any 60 s window.</summary>
    [Id(1)] public long? TokensPerMinute { get; init; }

    /// <summary>Model calls in flight at once.</summary>
    [Id(2)] public int? ConcurrentRequests { get; init; }

    public bool IsEmpty => RequestsPerMinute is null && TokensPerMinute is null && ConcurrentRequests is null;
}
