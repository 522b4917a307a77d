namespace AgentGrid.Contracts.Usage;

/// <summary>
/// One tenant's usage on one UTC day, keyed <c>{tenant}/{yyyy-MM-dd}</c>: hourly rollups per key, agent and
/// model, compacted to one daily rollup when hourly detail ages out. Never a row per request.
/// </summary>
[Alias("agentgrid.IUsageLedgerGrain")]
public interface IUsageLedgerGrain : IGrainWithStringKey
{
    [Alias("record")] Task RecordAsync(UsageRecord record);

    /// <summary>Records several calls at once (a silo's recorder sends what gathered while its last write was out).</summary>
    [Alias("record-many")] Task RecordManyAsync(IReadOnlyList<UsageRecord> records);

    [Alias("rows")] [Orleans.Concurrency.AlwaysInterleave] Task<IReadOnlyList<UsageRow>> GetRowsAsync();

    /// <summary>Folds the hours into one daily rollup per key, agent and model.</summary>
    [Alias("compact")] Task CompactAsync();

    /// <summary>Deletes the day's rollups.</summary>
    [Alias("clear")] Task ClearAsync();

    public static string KeyFor(string tenant, DateOnly day) => GrainKeys.For(tenant, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Which days of a tenant have usage (key: the tenant id), and the retention that bounds them: days past the hourly
/// retention are compacted and days past the retention deleted whenever a new day of usage starts or the usage is
/// read, and once a day while the grain is active. A tenant that neither calls nor reads adds nothing to store.
/// </summary>
[Alias("agentgrid.IUsageIndexGrain")]
public interface IUsageIndexGrain : IGrainWithStringKey
{
    [Alias("add-day")] Task AddDayAsync(DateOnly day);

    [Alias("days")] Task<IReadOnlyList<DateOnly>> GetDaysAsync(DateOnly from, DateOnly to);

    /// <summary>Applies the retention now (the reminder does it daily).</summary>
    [Alias("enforce")] Task EnforceRetentionAsync();
}
