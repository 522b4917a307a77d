using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>What <see cref="SessionGrain"/> persists: who it talks to and the whole history.</summary>
public sealed class SessionState
{
    public string? AgentId { get; set; }
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset CreatedAt { get; set; }
    public List<SessionMessage> Messages { get; set; } = [];
}
