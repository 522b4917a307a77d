using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>What <see cref="SessionGrain"/> persists: who it talks to, the whole history and the recent events.</summary>
public sealed class SessionState
{
    public string? AgentId { get; set; }
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset CreatedAt { get; set; }
    public List<SessionMessage> Messages { get; set; } = [];

    /// <summary>The most recent events, oldest first, at most <see cref="SessionOptions.MaxRetainedEvents"/>.</summary>
    public List<SessionEvent> Events { get; set; } = [];

    /// <summary>The last sequence number handed out; it never goes back, even when events are dropped.</summary>
    public long LastSequence { get; set; }
}
