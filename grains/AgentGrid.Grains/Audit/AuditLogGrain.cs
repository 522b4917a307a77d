using AgentGrid.Contracts;
using AgentGrid.Contracts.Audit;

namespace AgentGrid.Grains.Audit;

/// <summary>
/// Admin actions, stored before the call returns; bounded to the newest <see cref="IAuditLogGrain.Capacity"/>
/// entries. Admin actions are rare, so one grain for the whole grid is enough.
/// </summary>
public sealed class AuditLogGrain(
    [PersistentState("audit-log", GridNames.StateStore)] IPersistentState<AuditLogState> state) : Grain, IAuditLogGrain
{
    public async Task RecordAsync(AuditEntry entry)
    {
        state.State.Entries.Add(entry);
        if (state.State.Entries.Count > IAuditLogGrain.Capacity)
        {
            state.State.Entries.RemoveRange(0, state.State.Entries.Count - IAuditLogGrain.Capacity);
        }

        await this.WriteOrDeactivateAsync(state);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([.. state.State.Entries.AsEnumerable().Reverse().Take(Math.Clamp(limit, 1, IAuditLogGrain.Capacity))]);
}

public sealed class AuditLogState
{
    public List<AuditEntry> Entries { get; set; } = [];
}
