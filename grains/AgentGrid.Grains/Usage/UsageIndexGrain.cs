using AgentGrid.Contracts;
using AgentGrid.Contracts.Usage;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Usage;

/// <summary>
/// The days of one tenant that have usage. Retention is applied whenever a new day starts (a day with no calls
/// adds nothing to store), so storage stays bounded by <see cref="UsageOptions.RetentionDays"/> days of rollups.
/// </summary>
public sealed class UsageIndexGrain(
    [PersistentState("usage-index", GridNames.StateStore)] IPersistentState<UsageIndexState> state,
    IOptions<UsageOptions> options,
    TimeProvider time) : Grain, IUsageIndexGrain
{
    private string Tenant => this.GetPrimaryKeyString();

    private DateOnly _enforcedOn;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => EnforceIfDueAsync(), new GrainTimerCreationOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        return Task.CompletedTask;
    }

    public async Task AddDayAsync(DateOnly day)
    {
        if (state.State.Days.Add(day))
        {
            await this.WriteOrDeactivateAsync(state);
            // In a turn of its own: the ledger day that asked is waiting for this call, and retention calls ledger days.
            this.RegisterGrainTimer(() => EnforceIfDueAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
    }

    public async Task<IReadOnlyList<DateOnly>> GetDaysAsync(DateOnly from, DateOnly to)
    {
        await EnforceIfDueAsync();
        return [.. state.State.Days.Where(d => d >= from && d <= to)];
    }

    private Task EnforceIfDueAsync() =>
        _enforcedOn == DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) ? Task.CompletedTask : EnforceRetentionAsync();

    public async Task EnforceRetentionAsync()
    {
        _enforcedOn = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var deleteBefore = today.AddDays(-options.Value.RetentionDays);
        var compactBefore = today.AddDays(-options.Value.HourlyRetentionDays);
        foreach (var day in state.State.Days.Where(d => d < compactBefore).ToList())
        {
            var ledger = GrainFactory.GetGrain<IUsageLedgerGrain>(IUsageLedgerGrain.KeyFor(Tenant, day));
            if (day < deleteBefore)
            {
                await ledger.ClearAsync();
                state.State.Days.Remove(day);
            }
            else if (state.State.Compacted.Add(day))
            {
                await ledger.CompactAsync();
            }
        }

        state.State.Compacted.RemoveWhere(d => !state.State.Days.Contains(d));
        await this.WriteOrDeactivateAsync(state);
    }
}

public sealed class UsageIndexState
{
    public SortedSet<DateOnly> Days { get; set; } = [];

    public HashSet<DateOnly> Compacted { get; set; } = [];
}
