using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;

namespace AgentGrid.Grains.Agents;

/// <summary>A tenant's agent names and summaries. Every change is stored before it is acknowledged.</summary>
public sealed class AgentIndexGrain(
    [PersistentState("agent-index", GridNames.StateStore)] IPersistentState<AgentIndexState> state) : Grain, IAgentIndexGrain
{
    public async Task<bool> TryClaimNameAsync(string name, string agentId)
    {
        var key = AgentGrain.NameKey(name);
        if (state.State.Names.TryGetValue(key, out var holder))
        {
            return holder == agentId;
        }

        state.State.Names[key] = agentId;
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public async Task ReleaseNameAsync(string name, string agentId)
    {
        var key = AgentGrain.NameKey(name);
        if (state.State.Names.TryGetValue(key, out var holder) && holder == agentId)
        {
            state.State.Names.Remove(key);
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task UpsertAsync(AgentSummary summary)
    {
        state.State.Agents[summary.Id] = summary;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task RemoveAsync(string agentId)
    {
        if (state.State.Agents.Remove(agentId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<IReadOnlyList<AgentSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<AgentSummary>>(
            [.. state.State.Agents.Values.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)]);
}
