using AgentGrid.Contracts.Agents;

namespace AgentGrid.Grains.Agents;

/// <summary>What <see cref="AgentIndexGrain"/> persists.</summary>
public sealed class AgentIndexState
{
    /// <summary>Who holds each name, by lower-cased name: names are unique per tenant regardless of case.</summary>
    public Dictionary<string, NameClaim> Names { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, AgentSummary> Agents { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A name held by an agent since <see cref="ClaimedAt"/>.</summary>
public sealed record NameClaim(string AgentId, DateTimeOffset ClaimedAt);
