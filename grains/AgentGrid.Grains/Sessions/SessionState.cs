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

    /// <summary>The session as the API shows it; <paramref name="visibleSequence"/> is the last event handed out.</summary>
    public Session ToSession(string id, long visibleSequence) => new()
    {
        Id = id,
        AgentId = AgentId!,
        Variables = Variables,
        CreatedAt = CreatedAt,
        MessageCount = Messages.Count,
        LastMessageAt = Messages.Count > 0 ? Messages[^1].CreatedAt : null,
        LastSequence = visibleSequence,
    };
}
