using AgentGrid.Contracts;
using AgentGrid.Contracts.Audit;
using AgentGrid.Grains.Records;

namespace AgentGrid.Grains.Audit;

/// <summary>
/// Who changed what: admin actions and members' writes to tools, MCP servers, knowledge bases, workflows and approvals,
/// stored before the call returns, as rows of the record store (one per entry, numbered in order), so an entry costs
/// the same however long the log is. The newest <see cref="IAuditLogGrain.Capacity"/> are kept. One grain for the grid:
/// its calls are those writes, not requests in general, and each is one row insert.
/// </summary>
public sealed class AuditLogGrain(
    [PersistentState("audit-log", GridNames.StateStore)] IPersistentState<AuditLogState> state,
    IRecordStore records) : Grain, IAuditLogGrain
{
    private const string Partition = "audit-log";

    // Older rows are deleted now and then, not at every entry.
    private const int TrimEvery = 500;

    private long _next;
    private int _sinceTrim;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var newest = await records.ReadAsync(Partition, new RecordQuery(Limit: 1, Descending: true), cancellationToken);
        _next = newest.Count == 0 ? 1 : RecordIds.Parse(newest[0].Id) + 1;
        // The log was kept in grain state before: its entries become rows, then the state goes.
        if (state.State.Entries.Count > 0)
        {
            await records.PutAsync(Partition, [.. state.State.Entries.Select(e => RecordJson.Record(RecordIds.Of(_next++), e))], cancellationToken);
            await state.ClearStateAsync();
        }
    }

    public async Task RecordAsync(AuditEntry entry)
    {
        await records.PutAsync(Partition, [RecordJson.Record(RecordIds.Of(_next), entry)]);
        _next++;
        if (++_sinceTrim >= TrimEvery)
        {
            _sinceTrim = 0;
            await records.DeleteAsync(Partition, new RecordQuery(Before: RecordIds.Of(_next - IAuditLogGrain.Capacity)));
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit) =>
        [.. (await records.ReadAsync(Partition, new RecordQuery(Limit: Math.Clamp(limit, 1, IAuditLogGrain.Capacity), Descending: true)))
            .Select(r => RecordJson.Deserialize<AuditEntry>(r.Body))];
}

/// <summary>Where the log was kept before it moved to rows; read once, to move its entries.</summary>
public sealed class AuditLogState
{
    public List<AuditEntry> Entries { get; set; } = [];
}
