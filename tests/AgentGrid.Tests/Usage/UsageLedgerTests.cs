using AgentGrid.Contracts.Usage;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Usage;

/// <summary>The ledger stays bounded: hours fold into days after the hourly retention, and days go after the retention.</summary>
[Collection(GridClusterCollection.Name)]
public sealed class UsageLedgerTests(GridClusterFixture fixture)
{
    [Fact]
    public async Task Old_days_are_folded_into_one_daily_rollup_and_days_past_retention_are_deleted()
    {
        var tenant = $"t{Guid.NewGuid():N}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (recent, old, expired) = (today, today.AddDays(-40), today.AddDays(-500));
        foreach (var day in new[] { recent, old, expired })
        {
            foreach (var hour in new[] { 3, 5 })
            {
                await Ledger(tenant, day).RecordAsync(new UsageRecord
                {
                    Tenant = tenant,
                    KeyId = "key_a",
                    Model = "simulator",
                    Source = "session",
                    InputTokens = 10,
                    OutputTokens = 5,
                    CostUsd = 0.001m,
                    At = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero),
                });
            }
        }

        await fixture.Grains.GetGrain<IUsageIndexGrain>(tenant).EnforceRetentionAsync();

        Assert.Equal(2, (await Ledger(tenant, recent).GetRowsAsync()).Count);
        var folded = Assert.Single(await Ledger(tenant, old).GetRowsAsync());
        Assert.Equal(new DateTimeOffset(old.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), folded.Start);
        Assert.Equal((2, 20, 10, 0.002m), (folded.Requests, folded.InputTokens, folded.OutputTokens, folded.CostUsd));
        Assert.Empty(await Ledger(tenant, expired).GetRowsAsync());
        Assert.Equal([old, recent], await fixture.Grains.GetGrain<IUsageIndexGrain>(tenant).GetDaysAsync(expired, today));
    }

    private IUsageLedgerGrain Ledger(string tenant, DateOnly day) =>
        fixture.Grains.GetGrain<IUsageLedgerGrain>(IUsageLedgerGrain.KeyFor(tenant, day));
}
