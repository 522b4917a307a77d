using AgentGrid.Contracts.Agents;

namespace AgentGrid.Grains.Agents;

/// <summary>What <see cref="AgentGrain"/> persists: the current agent and every version, oldest first.</summary>
public sealed class AgentState
{
    public Agent? Current { get; set; }
    public List<AgentVersion> Versions { get; set; } = [];

    /// <summary>The version the tenant's index last confirmed; behind <see cref="Current"/> until the index is told.</summary>
    public int IndexedVersion { get; set; }
}
