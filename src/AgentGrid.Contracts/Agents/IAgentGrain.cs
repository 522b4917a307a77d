using Orleans.Concurrency;

namespace AgentGrid.Contracts.Agents;

/// <summary>One agent, keyed <c>{tenant}/{agentId}</c>, with its full version history.</summary>
[Alias("agentgrid.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates version 1; fails with <c>agent_name_conflict</c> if the name is taken in the tenant, and with
    /// <c>tenant_quota_exceeded</c> (nothing stored) if the tenant has as many agents as its cap allows.
    /// </summary>
    [Alias("create")] Task<Agent> CreateAsync(AgentDefinition definition);

    /// <summary>The current agent; fails with <c>agent_not_found</c> if it does not exist.</summary>
    [Alias("get")] [ReadOnly] Task<Agent> GetAsync();

    /// <summary>
    /// Replaces the definition, making a new version; <c>tenant_quota_exceeded</c> once the agent has as many versions
    /// as <c>AgentGrid:TenantCaps:AgentVersions</c> allows (so does a rollback).
    /// </summary>
    [Alias("update")] Task<Agent> UpdateAsync(AgentDefinition definition);

    [Alias("delete")] Task DeleteAsync();

    /// <summary>Every version, oldest first.</summary>
    [Alias("versions")] [ReadOnly] Task<IReadOnlyList<AgentVersion>> GetVersionsAsync();

    /// <summary>Makes a new version whose content is that of <paramref name="version"/>.</summary>
    [Alias("rollback")] Task<Agent> RollbackAsync(int version);
}
