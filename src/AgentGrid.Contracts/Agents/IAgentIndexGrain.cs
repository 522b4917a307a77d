using Orleans.Concurrency;

namespace AgentGrid.Contracts.Agents;

/// <summary>
/// A tenant's agents, keyed by tenant: it owns name uniqueness and the listing. Only agent grains
/// write to it, each operation is keyed by agent id, idempotent and stored in one write, so an agent
/// can always repeat an operation that failed. It is off the chat path.
/// </summary>
[Alias("agentgrid.IAgentIndexGrain")]
public interface IAgentIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes <paramref name="name"/> the agent's one name, releasing any other it held; false if
    /// another agent holds it. A claim whose agent never lists itself expires after a while. An agent not yet known is
    /// refused with <c>tenant_quota_exceeded</c> when the tenant has as many (listed or claiming) as
    /// <c>AgentGrid:TenantCaps:Agents</c> allows.
    /// </summary>
    [Alias("claim")] Task<bool> TryClaimNameAsync(string agentId, string name);

    /// <summary>Records the agent's current summary for listings and confirms its name.</summary>
    [Alias("upsert")] Task UpsertAsync(AgentSummary summary);

    /// <summary>Forgets the agent: its summary and every name it holds.</summary>
    [Alias("remove")] Task RemoveAsync(string agentId);

    /// <summary>The agent named <paramref name="name"/> (any case), or null.</summary>
    [Alias("find")] [ReadOnly] Task<AgentSummary?> FindByNameAsync(string name);

    /// <summary>Every agent of the tenant, ordered by name.</summary>
    [Alias("list")] [ReadOnly] Task<IReadOnlyList<AgentSummary>> ListAsync();
}
