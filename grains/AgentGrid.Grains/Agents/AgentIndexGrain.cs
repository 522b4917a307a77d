using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentGrid.Grains.Agents;

/// <summary>A tenant's agent names and summaries. Every change is stored before it is acknowledged.</summary>
public sealed class AgentIndexGrain(
    [PersistentState("agent-index", GridNames.StateStore)] IPersistentState<AgentIndexState> state,
    IOptions<TenantCapsOptions> caps,
    TimeProvider time,
    ILogger<AgentIndexGrain> logger) : Grain, IAgentIndexGrain
{
    /// <summary>How long a name stays claimed by an agent that never stored itself (its create failed midway).</summary>
    public static readonly TimeSpan UnconfirmedClaimLifetime = TimeSpan.FromMinutes(1);

    public async Task<bool> TryClaimNameAsync(string agentId, string name)
    {
        var key = NameKey(name);
        
        if (state.State.Names.TryGetValue(key, out var claim) && claim.AgentId != agentId && !IsAbandoned(claim, key))
        {
            return false;
        }

        if (claim?.AgentId == agentId)
        {
            return true;
        }

        var agents = HeldAgents();
        if (!agents.Contains(agentId))
        {
            TenantCaps.EnsureRoomForOneMore(agents.Count, caps.Value.Agents, "agents");
        }

        // The agent keeps its current name too until its upsert confirms the new one.
        state.State.Names[key] = new NameClaim(agentId, time.GetUtcNow());
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public async Task UpsertAsync(AgentSummary summary)
    {
        ReleaseAll(summary.Id);
        state.State.Names[NameKey(summary.Name)] = new NameClaim(summary.Id, time.GetUtcNow());
        state.State.Agents[summary.Id] = summary;
        await this.WriteOrDeactivateAsync(state);
        await AnnounceAsync();
    }

    public async Task RemoveAsync(string agentId)
    {
        var removed = state.State.Agents.Remove(agentId) | ReleaseAll(agentId);
        if (removed)
        {
            await this.WriteOrDeactivateAsync(state);
        }

        await AnnounceAsync();
    }

    /// <summary>Tells the front doors that this tenant's agents changed; best effort (their cache expires anyway).</summary>
    private async Task AnnounceAsync()
    {
        try
        {
            await this.GetStreamProvider(GridNames.StreamProvider)
                .GetStream<string>(StreamId.Create(GridNames.AgentChangesStreamNamespace, GridNames.ClusterStreamKey))
                .OnNextAsync(this.GetPrimaryKeyString());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Agent index {Tenant} could not announce a change; front doors see it when their cache expires", this.GetPrimaryKeyString());
        }
    }

    public Task<AgentSummary?> FindByNameAsync(string name) =>
        Task.FromResult(state.State.Names.TryGetValue(NameKey(name), out var claim) && state.State.Agents.TryGetValue(claim.AgentId, out var summary)
            && NameKey(summary.Name) == NameKey(name)
            ? summary
            : null);

    public Task<IReadOnlyList<AgentSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<AgentSummary>>(
            [.. state.State.Agents.Values.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)]);

    public static string NameKey(string name) => name.Trim().ToLowerInvariant();

    /// <summary>A claim its agent never confirmed (its create or rename failed midway) and that has expired.</summary>
    private bool IsAbandoned(NameClaim claim, string key) =>
        !(state.State.Agents.TryGetValue(claim.AgentId, out var summary) && NameKey(summary.Name) == key)
        && time.GetUtcNow() - claim.ClaimedAt > UnconfirmedClaimLifetime;

    /// <summary>
    /// The agents that count against the tenant's cap: those listed, and those whose create claimed a name and is
    /// still under way (so two concurrent creates cannot both take the last place).
    /// </summary>
    private HashSet<string> HeldAgents()
    {
        var held = state.State.Agents.Keys.ToHashSet(StringComparer.Ordinal);
        held.UnionWith(state.State.Names.Where(n => !IsAbandoned(n.Value, n.Key)).Select(n => n.Value.AgentId));
        return held;
    }

    private IEnumerable<string> HeldNames(string agentId) =>
        state.State.Names.Where(n => n.Value.AgentId == agentId).Select(n => n.Key);

    private bool ReleaseAll(string agentId)
    {
        var held = HeldNames(agentId).ToList();
        held.ForEach(n => state.State.Names.Remove(n));
        return held.Count > 0;
    }
}
