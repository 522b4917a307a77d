using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>
/// The decisions of a <see cref="QuotaGrain"/>, free of Orleans: sliding 60 s windows of requests and tokens (the
/// tokens window counting calls in flight at what they reserved), calls in flight, and a budget that counts what was
/// spent plus what calls in flight have reserved.
/// Not thread-safe; the grain calls it one call at a time.
/// </summary>
public sealed class QuotaCounters(QuotaState state)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<(DateTimeOffset At, long Tokens)> _tokens = new();
    private readonly Dictionary<Guid, (QuotaReservation Reserved, DateTimeOffset At)> _leases = [];
    private long _tokensInWindow;

    public int InFlight => _leases.Count;

    public QuotaLease Acquire(QuotaReservation reservation, DateTimeOffset now)
    {
        if (state.Limits is null && state.Budget is null)
        {
            return new QuotaLease(Guid.Empty, null, Unlimited: true);
        }

        RollPeriod(now);
        Prune(now);
        var limits = state.Limits;
        if (limits?.ConcurrentRequests is { } concurrent && _leases.Count >= concurrent)
        {
            throw RateLimited($"{concurrent} model calls are already in flight, the most allowed at once.", 1, now);
        }

        if (limits?.RequestsPerMinute is { } rpm && _requests.Count >= rpm)
        {
            throw RateLimited($"The limit of {rpm} requests per minute is reached.", Seconds(_requests.Peek() + Window - now), now);
        }

        // Calls in flight count with what they reserved, so parallel calls cannot all pass before any settles: what a
        // window spends stays under the limit plus one call's reservation.
        if (limits?.TokensPerMinute is { } tpm && _tokensInWindow + Reserved().Tokens >= tpm)
        {
            var freedAt = _tokensInWindow >= tpm ? TokensFreedAt(tpm) : now;
            throw RateLimited($"The limit of {tpm} tokens per minute is reached (counting what calls in flight reserved).", Math.Max(1, Seconds(freedAt - now)), now);
        }

        if (state.Budget is { } budget)
        {
            var (reservedTokens, reservedCost) = Reserved();
            if (budget.Tokens is { } tokens && state.SpentTokens + reservedTokens + reservation.Tokens > tokens)
            {
                throw BudgetExceeded($"The budget of {tokens} tokens per {Name(budget.Period)} is spent or held by calls in flight "
                    + $"({state.SpentTokens} spent, {reservedTokens} reserved; this call may need {reservation.Tokens}).");
            }

            if (budget.CostUsd is not null && !reservation.Priced)
            {
                // Fail closed: a model without prices would spend a USD budget without ever counting against it.
                throw BudgetExceeded("This budget is in USD and the model has no price (AgentGrid:Inference:Pricing); calls to it cannot be counted against the budget.");
            }

            if (budget.CostUsd is { } cost && state.SpentCostUsd + reservedCost + reservation.CostUsd > cost)
            {
                throw BudgetExceeded($"The budget of {cost} USD per {Name(budget.Period)} is spent or held by calls in flight "
                    + $"({state.SpentCostUsd:0.######} spent, {reservedCost:0.######} reserved; this call may cost {reservation.CostUsd:0.######}).");
            }
        }

        var id = Guid.NewGuid();
        _leases[id] = (reservation, now);
        _requests.Enqueue(now);
        return new QuotaLease(id, RateState(now));
    }

    /// <summary>Ends a lease with its real usage; true if what was spent changed (and must be stored).</summary>
    public bool Settle(Guid leaseId, QuotaUsage usage, DateTimeOffset now)
    {
        _leases.Remove(leaseId);
        RollPeriod(now);
        if (usage.Tokens > 0)
        {
            _tokens.Enqueue((now, usage.Tokens));
            _tokensInWindow += usage.Tokens;
        }

        if (state.Budget is null || (usage.Tokens == 0 && usage.CostUsd == 0))
        {
            return false;
        }

        state.SpentTokens += usage.Tokens;
        state.SpentCostUsd += usage.CostUsd;
        return true;
    }

    /// <summary>Drops leases whose calls never settled (their caller died); their reservations are released.</summary>
    public void ExpireLeases(DateTimeOffset now, TimeSpan lifetime)
    {
        foreach (var (id, lease) in _leases.Where(l => now - l.Value.At > lifetime).ToList())
        {
            _leases.Remove(id);
        }
    }

    /// <summary>Where the quota stands; reading it changes nothing (a period that ended shows as nothing spent).</summary>
    public QuotaStatus Status(DateTimeOffset now)
    {
        var (tokens, cost) = Reserved();
        var start = PeriodStartOf(state.Budget?.Period ?? BudgetPeriod.Total, now);
        var current = state.PeriodStart == start;
        return new QuotaStatus
        {
            Limits = state.Limits,
            Budget = state.Budget,
            PeriodStart = start,
            SpentTokens = current ? state.SpentTokens : 0,
            SpentCostUsd = current ? state.SpentCostUsd : 0,
            ReservedTokens = tokens,
            ReservedCostUsd = cost,
            InFlight = _leases.Count,
        };
    }

    /// <summary>Starts a new budget period when the current one is over; true if it did.</summary>
    public bool RollPeriod(DateTimeOffset now)
    {
        var start = PeriodStartOf(state.Budget?.Period ?? BudgetPeriod.Total, now);
        if (state.PeriodStart == start)
        {
            return false;
        }

        state.PeriodStart = start;
        state.SpentTokens = 0;
        state.SpentCostUsd = 0;
        return true;
    }

    public static DateTimeOffset PeriodStartOf(BudgetPeriod period, DateTimeOffset now) => period switch
    {
        BudgetPeriod.Day => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero),
        BudgetPeriod.Month => new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero),
        _ => DateTimeOffset.UnixEpoch,
    };

    private (long Tokens, decimal Cost) Reserved() =>
        (_leases.Values.Sum(l => l.Reserved.Tokens), _leases.Values.Sum(l => l.Reserved.CostUsd));

    private void Prune(DateTimeOffset now)
    {
        while (_requests.TryPeek(out var at) && now - at >= Window)
        {
            _requests.Dequeue();
        }

        while (_tokens.TryPeek(out var entry) && now - entry.At >= Window)
        {
            _tokensInWindow -= _tokens.Dequeue().Tokens;
        }
    }

    // When enough of the window's tokens have aged out to bring it under the limit.
    private DateTimeOffset TokensFreedAt(long limit)
    {
        var remaining = _tokensInWindow;
        foreach (var (at, tokens) in _tokens)
        {
            remaining -= tokens;
            if (remaining < limit)
            {
                return at + Window;
            }
        }

        return DateTimeOffset.MinValue;
    }

    private RateLimitState? RateState(DateTimeOffset now)
    {
        if (state.Limits is not { } limits || (limits.RequestsPerMinute is null && limits.TokensPerMinute is null))
        {
            return null;
        }

        return new RateLimitState
        {
            LimitRequests = limits.RequestsPerMinute,
            RemainingRequests = limits.RequestsPerMinute is { } rpm ? Math.Max(0, rpm - _requests.Count) : null,
            ResetRequestsSeconds = limits.RequestsPerMinute is null ? null : _requests.TryPeek(out var first) ? Math.Max(0, (first + Window - now).TotalSeconds) : 0,
            LimitTokens = limits.TokensPerMinute,
            RemainingTokens = limits.TokensPerMinute is { } tpm ? Math.Max(0, tpm - _tokensInWindow) : null,
            ResetTokensSeconds = limits.TokensPerMinute is null ? null : _tokens.TryPeek(out var oldest) ? Math.Max(0, (oldest.At + Window - now).TotalSeconds) : 0,
        };
    }

    private AgentGridException RateLimited(string message, int retryAfterSeconds, DateTimeOffset now) =>
        new(ErrorCodes.RateLimited, message) { RetryAfterSeconds = Math.Max(1, retryAfterSeconds), RateLimit = RateState(now) };

    private static AgentGridException BudgetExceeded(string message) => new(ErrorCodes.BudgetExceeded, message) { ShouldRetry = false };

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(Math.Max(0, span.TotalSeconds));

    private static string Name(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Day => "day",
        BudgetPeriod.Month => "month",
        _ => "all time",
    };
}
