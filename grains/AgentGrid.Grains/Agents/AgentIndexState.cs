using AgentGrid.Contracts.Agents;

namespace AgentGrid.Grains.Agents;

/// <summary>What <see cref="AgentIndexGrain"/> persists.</summary>
public sealed class AgentIndexState
{
    /// <summary>Agent id by lower-cased name: names are unique per tenant regardless of case.</summary>
    public Dictionary<string, string> Names { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, AgentSummary> Agents { get; set; } = new(StringComparer.Ordinal);
}
