using AgentGrid.Contracts;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>The ids of a tenant's knowledge bases.</summary>
public sealed class KnowledgeBaseIndexGrain(
    [PersistentState("knowledge-base-index", GridNames.StateStore)] IPersistentState<KnowledgeBaseIndexState> state,
    IOptions<TenantCapsOptions> caps) : Grain, IKnowledgeBaseIndexGrain
{
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);

    public async Task AddAsync(string knowledgeBaseId)
    {
        if (!state.State.Ids.Contains(knowledgeBaseId))
        {
            TenantCaps.EnsureRoomForOneMore(state.State.Ids.Count, caps.Value.KnowledgeBases, "knowledge bases");
        }

        if (state.State.Ids.Add(knowledgeBaseId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task RemoveAsync(string knowledgeBaseId)
    {
        if (state.State.Ids.Remove(knowledgeBaseId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }
}

public sealed class KnowledgeBaseIndexState
{
    public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
