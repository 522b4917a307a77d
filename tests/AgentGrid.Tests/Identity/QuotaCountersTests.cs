using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Grains.Identity;

namespace AgentGrid.Tests.Identity;

public sealed class QuotaCountersTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly QuotaReservation Small = new(10, 0);

    [Fact]
    public void A_call_refused_for_requests_per_minute_passes_once_its_retry_after_has_passed()
    {
        var counters = new QuotaCounters(new QuotaState { Limits = new RateLimits { RequestsPerMinute = 2 } });
        counters.Settle(counters.Acquire(Small, Noon).Id, new QuotaUsage(10, 0), Noon);
        counters.Settle(counters.Acquire(Small, Noon.AddSeconds(20)).Id, new QuotaUsage(10, 0), Noon.AddSeconds(20));

        var refused = Assert.Throws<AgentGridException>(() => counters.Acquire(Small, Noon.AddSeconds(30)));

        Assert.Equal(ErrorCodes.RateLimited, refused.Code);
        Assert.Equal(30, refused.RetryAfterSeconds);
        Assert.Equal(0, refused.RateLimit!.RemainingRequests);
        Assert.Throws<AgentGridException>(() => counters.Acquire(Small, Noon.AddSeconds(59.9)));
        Assert.Equal(0, counters.Acquire(Small, Noon.AddSeconds(30 + refused.RetryAfterSeconds!.Value)).State!.RemainingRequests);
    }

    [Fact]
    public void Tokens_per_minute_count_real_usage_and_free_up_as_it_ages_out()
    {
        var counters = new QuotaCounters(new QuotaState { Limits = new RateLimits { TokensPerMinute = 100 } });
        counters.Settle(counters.Acquire(Small, Noon).Id, new QuotaUsage(60, 0), Noon);
        counters.Settle(counters.Acquire(Small, Noon.AddSeconds(10)).Id, new QuotaUsage(50, 0), Noon.AddSeconds(10));

        var refused = Assert.Throws<AgentGridException>(() => counters.Acquire(Small, Noon.AddSeconds(15)));

        Assert.Equal(ErrorCodes.RateLimited, refused.Code);
        Assert.Equal(45, refused.RetryAfterSeconds);
        Assert.Equal(50, counters.Acquire(Small, Noon.AddSeconds(60)).State!.RemainingTokens);
    }

    [Fact]
    public void Fifty_parallel_max_length_calls_against_a_small_tokens_per_minute_spend_at_most_the_limit_plus_one_reservation()
    {
        var counters = new QuotaCounters(new QuotaState { Limits = new RateLimits { TokensPerMinute = 1000 } });
        var maxLength = new QuotaReservation(300, 0);

        var admitted = new List<QuotaLease>();
        for (var call = 0; call < 50; call++)
        {
            try
            {
                admitted.Add(counters.Acquire(maxLength, Noon));
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.RateLimited)
            {
                Assert.True(e.RetryAfterSeconds >= 1);
            }
        }

        admitted.ForEach(lease => counters.Settle(lease.Id, new QuotaUsage(maxLength.Tokens, 0), Noon.AddSeconds(1)));

        Assert.Equal(4, admitted.Count);
        Assert.True(admitted.Count * maxLength.Tokens <= 1000 + maxLength.Tokens);
        Assert.Throws<AgentGridException>(() => counters.Acquire(Small, Noon.AddSeconds(2)));
    }

    [Fact]
    public void Reservations_in_flight_count_against_the_budget_and_settling_frees_what_was_not_used()
    {
        var state = new QuotaState { Budget = new Budget { Tokens = 100, Period = BudgetPeriod.Day } };
        var counters = new QuotaCounters(state);
        var first = counters.Acquire(new QuotaReservation(60, 0), Noon);

        var refused = Assert.Throws<AgentGridException>(() => counters.Acquire(new QuotaReservation(60, 0), Noon));
        Assert.Equal(ErrorCodes.BudgetExceeded, refused.Code);
        Assert.False(refused.ShouldRetry);

        Assert.True(counters.Settle(first.Id, new QuotaUsage(30, 0), Noon));
        counters.Acquire(new QuotaReservation(60, 0), Noon);
        Assert.Equal(30, state.SpentTokens);
    }

    [Fact]
    public void A_daily_budget_starts_again_at_midnight_utc_and_a_total_budget_never_does()
    {
        var daily = new QuotaState { Budget = new Budget { CostUsd = 1m, Period = BudgetPeriod.Day } };
        var counters = new QuotaCounters(daily);
        counters.Settle(counters.Acquire(new QuotaReservation(0, 0.5m), Noon).Id, new QuotaUsage(0, 0.9m), Noon);
        Assert.Throws<AgentGridException>(() => counters.Acquire(new QuotaReservation(0, 0.5m), Noon.AddHours(11)));

        counters.Acquire(new QuotaReservation(0, 0.5m), Noon.AddHours(12));
        Assert.Equal(0m, daily.SpentCostUsd);

        var total = new QuotaCounters(new QuotaState { Budget = new Budget { Tokens = 10, Period = BudgetPeriod.Total } });
        total.Settle(total.Acquire(new QuotaReservation(10, 0), Noon).Id, new QuotaUsage(10, 0), Noon);
        Assert.Throws<AgentGridException>(() => total.Acquire(new QuotaReservation(1, 0), Noon.AddYears(1)));
    }

    [Fact]
    public void Leases_whose_caller_never_settled_expire_and_release_their_reservation()
    {
        var counters = new QuotaCounters(new QuotaState { Limits = new RateLimits { ConcurrentRequests = 1 } });
        counters.Acquire(Small, Noon);
        Assert.Throws<AgentGridException>(() => counters.Acquire(Small, Noon.AddMinutes(1)));

        counters.ExpireLeases(Noon.AddMinutes(16), QuotaGrain.LeaseLifetime);

        Assert.Equal(0, counters.InFlight);
        counters.Acquire(Small, Noon.AddMinutes(16));
    }
}
