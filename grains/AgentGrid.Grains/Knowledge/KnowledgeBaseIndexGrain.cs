using AgentGrid.Contracts;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Knowledge;

/// <summary>
/// The ids of a tenant's knowledge bases, and how many documents and bytes each keeps: the one place that sees the
/// tenant's totals, so concurrent uploads to several knowledge bases cannot pass a cap together.
/// </summary>
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
        if (state.State.Ids.Remove(knowledgeBaseId) | state.State.Contents.Remove(knowledgeBaseId))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public async Task SetContentsAsync(string knowledgeBaseId, int documents, long bytes)
    {
        var before = state.State.Contents.GetValueOrDefault(knowledgeBaseId) ?? new KnowledgeBaseContents(0, 0);
        if (before.Documents == documents && before.Bytes == bytes)
        {
            return;
        }

        var others = state.State.Contents.Where(c => c.Key != knowledgeBaseId).Select(c => c.Value).ToList();
        if (documents > before.Documents && caps.Value.Documents > 0 && others.Sum(c => (long)c.Documents) + documents > caps.Value.Documents)
        {
            throw TenantCaps.Exceeded($"its knowledge bases would keep {others.Sum(c => (long)c.Documents) + documents} documents, more than the {caps.Value.Documents} it may");
        }

        if (bytes > before.Bytes && caps.Value.StoredBytes > 0 && others.Sum(c => c.Bytes) + bytes > caps.Value.StoredBytes)
        {
            throw TenantCaps.Exceeded($"its knowledge bases would keep {others.Sum(c => c.Bytes) + bytes} bytes of files, more than the {caps.Value.StoredBytes} it may");
        }

        if (documents == 0 && bytes == 0)
        {
            state.State.Contents.Remove(knowledgeBaseId);
        }
        else
        {
            state.State.Contents[knowledgeBaseId] = new KnowledgeBaseContents(documents, bytes);
        }

        await this.WriteOrDeactivateAsync(state);
    }
}

/// <summary>What one knowledge base keeps, as counted against its tenant's caps.</summary>
public sealed record KnowledgeBaseContents(int Documents, long Bytes);

public sealed class KnowledgeBaseIndexState
{
    public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Knowledge base id → its documents and bytes (those with none are left out).</summary>
    public Dictionary<string, KnowledgeBaseContents> Contents { get; set; } = new(StringComparer.Ordinal);
}
