using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// The model-call limits and budget a key or tenant gets when it is created without any, bound from
/// <c>AgentGrid:Defaults</c>; each value 0 means none of that kind. Admin keys never get the key defaults, and the
/// operators' tenant (<c>default</c>, made at the first start) never gets the tenant defaults. A create that names
/// <c>limits</c> (even <c>{}</c>, no limits) or <c>budget</c> keeps what it names.
/// </summary>
public sealed class DefaultLimitsOptions
{
    public const string SectionName = "AgentGrid:Defaults";

    /// <summary>Limits of a new member or reader key. Default: 600 model calls a minute, 16 at once.</summary>
    public DefaultRateLimits KeyLimits { get; set; } = new() { RequestsPerMinute = 600, ConcurrentRequests = 16 };

    /// <summary>Budget of a new member or reader key. Default: none.</summary>
    public DefaultBudget KeyBudget { get; set; } = new();

    /// <summary>Limits of a new tenant (all its keys together). Default: 3,000 model calls a minute, 64 at once.</summary>
    public DefaultRateLimits TenantLimits { get; set; } = new() { RequestsPerMinute = 3000, ConcurrentRequests = 64 };

    /// <summary>Budget of a new tenant. Default: none.</summary>
    public DefaultBudget TenantBudget { get; set; } = new();
}

/// <summary>The shape of <see cref="RateLimits"/> in configuration; 0 leaves a limit out.</summary>
public sealed class DefaultRateLimits
{
    public int RequestsPerMinute { get; set; }
    public long TokensPerMinute { get; set; }
    public int ConcurrentRequests { get; set; }

    /// <summary>The limits, or null when every value is 0.</summary>
    public RateLimits? ToLimits()
    {
        var limits = new RateLimits
        {
            RequestsPerMinute = RequestsPerMinute > 0 ? RequestsPerMinute : null,
            TokensPerMinute = TokensPerMinute > 0 ? TokensPerMinute : null,
            ConcurrentRequests = ConcurrentRequests > 0 ? ConcurrentRequests : null,
        };
        return limits.IsEmpty ? null : limits;
    }
}

/// <summary>The shape of <see cref="Budget"/> in configuration; 0 leaves a cap out.</summary>
public sealed class DefaultBudget
{
    public long Tokens { get; set; }
    public decimal CostUsd { get; set; }
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Month;

    /// <summary>The budget, or null when both caps are 0.</summary>
    public Budget? ToBudget()
    {
        var budget = new Budget { Tokens = Tokens > 0 ? Tokens : null, CostUsd = CostUsd > 0 ? CostUsd : null, Period = Period };
        return budget.IsEmpty ? null : budget;
    }
}

public sealed class DefaultLimitsOptionsValidator : IValidateOptions<DefaultLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, DefaultLimitsOptions options)
    {
        var failures = new List<string>();
        foreach (var (section, limits) in new[] { ("KeyLimits", options.KeyLimits), ("TenantLimits", options.TenantLimits) })
        {
            Check(failures, $"{section}:RequestsPerMinute", limits.RequestsPerMinute);
            Check(failures, $"{section}:TokensPerMinute", limits.TokensPerMinute);
            Check(failures, $"{section}:ConcurrentRequests", limits.ConcurrentRequests);
        }

        foreach (var (section, budget) in new[] { ("KeyBudget", options.KeyBudget), ("TenantBudget", options.TenantBudget) })
        {
            Check(failures, $"{section}:Tokens", budget.Tokens);
            Check(failures, $"{section}:CostUsd", budget.CostUsd);
            if (!Enum.IsDefined(budget.Period))
            {
                failures.Add($"{DefaultLimitsOptions.SectionName}:{section}:Period must be Day, Month or Total.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static void Check(List<string> failures, string setting, decimal value)
    {
        if (value < 0)
        {
            failures.Add($"{DefaultLimitsOptions.SectionName}:{setting} must be 0 (none) or more.");
        }
    }
}
