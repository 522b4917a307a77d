namespace AgentGrid.Contracts.Agents;

/// <summary>
/// A tenant's agents, keyed by tenant: it owns name uniqueness and the listing.
/// Only agent grains write to it; it is off the chat path.
/// </summary>
[Alias("agentgrid.IAgentIndexGrain")]
public interface IAgentIndexGrain : IGrainWithStringKey
{
    /// <summary>Claims <paramref name="name"/> for the agent; false if another agent holds it.</summary>
    [Alias("claim")] Task<bool> TryClaimNameAsync(string name, string agentId);

    [Alias("release")] Task ReleaseNameAsync(string name, string agentId);

    /// <summary>Records the agent's current summary for listings.</summary>
    [Alias("upsert")] Task UpsertAsync(AgentSummary summary);

    [Alias("remove")] Task RemoveAsync(string agentId);

    /// <summary>Every agent of the tenant, ordered by name.</summary>
    [Alias("list")] Task<IReadOnlyList<AgentSummary>> ListAsync();
}
