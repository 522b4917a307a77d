namespace AgentGrid.Contracts.Audit;

/// <summary>The grid's audit log of admin actions and members' writes (key <see cref="Key"/>): the most recent <see cref="Capacity"/> entries.</summary>
[Alias("agentgrid.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    public const int Capacity = 10_000;

    [Alias("record")] Task RecordAsync(AuditEntry entry);

    /// <summary>The newest entries first, at most <paramref name="limit"/>.</summary>
    [Alias("list")] [Orleans.Concurrency.AlwaysInterleave] Task<IReadOnlyList<AuditEntry>> ListAsync(int limit);
}
