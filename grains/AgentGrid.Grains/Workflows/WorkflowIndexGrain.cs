using AgentGrid.Contracts;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workflows;

/// <summary>A tenant's workflow ids.</summary>
public sealed class WorkflowIndexGrain([PersistentState("workflow-index", GridNames.StateStore)] IPersistentState<WorkflowIndexState> state,
    IOptions<TenantCapsOptions> caps)
    : Grain, IWorkflowIndexGrain
{
    public async Task AddAsync(string workflowId)
    {
        if (!state.State.Ids.Contains(workflowId))
        {
            TenantCaps.EnsureRoomForOneMore(state.State.Ids.Count, caps.Value.Workflows, "workflows");
        }

        if (state.State.Ids.Add(workflowId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task RemoveAsync(string workflowId)
    {
        if (state.State.Ids.Remove(workflowId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids.Order(StringComparer.Ordinal)]);
}

public sealed class WorkflowIndexState
{
    public HashSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
