namespace AgentGrid.Contracts.Identity;

/// <summary>
/// The limits and budget of one key (<c>key:{keyId}</c>) or one tenant (<c>tenant:{tenantId}</c>), with the
/// counters that enforce them across the whole cluster: one activation sees every call. A model call acquires a
/// lease that reserves its worst case before the model is called, and settles the real usage afterwards, so
/// concurrent calls can never spend more than the budget.
/// </summary>
[Alias("agentgrid.IQuotaGrain")]
public interface IQuotaGrain : IGrainWithStringKey
{
    /// <summary>Sets the limits and budget (null clears them); counters and what was spent are kept.</summary>
    [Alias("configure")] Task ConfigureAsync(RateLimits? limits, Budget? budget);

    /// <summary>
    /// Admits one call or throws <c>rate_limited</c> (retry later) or <c>budget_exceeded</c> (do not retry).
    /// </summary>
    [Alias("acquire")] Task<QuotaLease> AcquireAsync(QuotaReservation reservation);

    /// <summary>Replaces the lease's reservation with what the call really used and ends it.</summary>
    [Alias("settle")] Task SettleAsync(Guid leaseId, QuotaUsage usage);

    [Alias("status")] [Orleans.Concurrency.AlwaysInterleave] Task<QuotaStatus> GetStatusAsync();
}

public static class QuotaKeys
{
    public static string ForKey(string keyId) => $"key:{keyId}";

    public static string ForTenant(string tenantId) => $"tenant:{tenantId}";
}

/// <summary>
/// The worst case of one call: every prompt token and the most output it may produce, at the model's prices.
/// <see cref="Priced"/> is false for a model without prices, whose cost a USD budget cannot count.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.quota-reservation")]
public sealed record QuotaReservation([property: Id(0)] long Tokens, [property: Id(1)] decimal CostUsd, [property: Id(2)] bool Priced = true);

[GenerateSerializer, Immutable, Alias("agentgrid.quota-usage")]
public sealed record QuotaUsage([property: Id(0)] long Tokens, [property: Id(1)] decimal CostUsd);

/// <summary>
/// An admitted call, with what the limits allow after it (for <c>x-ratelimit-*</c> headers). <see cref="Unlimited"/>:
/// the key or tenant has neither limits nor a budget, so nothing was reserved and nothing needs settling.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.quota-lease")]
public sealed record QuotaLease([property: Id(0)] Guid Id, [property: Id(1)] RateLimitState? State, [property: Id(2)] bool Unlimited = false);

/// <summary>Where a key or tenant stands: its settings, what it spent this period, and its rate windows.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.quota-status")]
public sealed record QuotaStatus
{
    [Id(0)] public RateLimits? Limits { get; init; }
    [Id(1)] public Budget? Budget { get; init; }
    [Id(2)] public DateTimeOffset? PeriodStart { get; init; }
    [Id(3)] public long SpentTokens { get; init; }
    [Id(4)] public decimal SpentCostUsd { get; init; }
    [Id(5)] public long ReservedTokens { get; init; }
    [Id(6)] public decimal ReservedCostUsd { get; init; }
    [Id(7)] public int InFlight { get; init; }
}

/// <summary>The state of the rate windows, as OpenAI reports it in its <c>x-ratelimit-*</c> headers.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.rate-limit-state")]
public sealed record RateLimitState
{
    [Id(0)] public int? LimitRequests { get; init; }
    [Id(1)] public int? RemainingRequests { get; init; }
    [Id(2)] public double? ResetRequestsSeconds { get; init; }
    [Id(3)] public long? LimitTokens { get; init; }
    [Id(4)] public long? RemainingTokens { get; init; }
    [Id(5)] public double? ResetTokensSeconds { get; init; }
}
