using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>What a <see cref="QuotaGrain"/> stores: its settings and what was spent in the current budget period.</summary>
public sealed class QuotaState
{
    public RateLimits? Limits { get; set; }
    public Budget? Budget { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public long SpentTokens { get; set; }
    public decimal SpentCostUsd { get; set; }
}
