using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// What <see cref="SessionGrain"/> keeps as grain state: who it talks to and the summary of its oldest turns. The
/// history itself is appended row by row (<see cref="SessionHistory"/>), so this is written only when it changes.
/// </summary>
public sealed class SessionState
{
    public string? AgentId { get; set; }
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset CreatedAt { get; set; }
    public SessionSummary? Summary { get; set; }

    /// <summary>The end user the agent's long-term memory files this conversation under.</summary>
    public string? User { get; set; }

    /// <summary>Whose session it is inside the tenant; null for sessions stored before owners (see <see cref="Contracts.Identity.Owners.OfLegacySession"/>).</summary>
    public string? Owner { get; set; }

    /// <summary>Tool calls of the paused turn that wait for a member's approval; the turn goes on once none waits.</summary>
    public List<PendingApproval> PendingApprovals { get; set; } = [];

    /// <summary>Sessions stored before the history was appended kept it here; it moves to the history on activation.</summary>
    public List<SessionMessage> Messages { get; set; } = [];

    /// <summary>As <see cref="Messages"/>: events of sessions stored in the earlier shape, moved on activation.</summary>
    public List<SessionEvent> Events { get; set; } = [];

    /// <summary>As <see cref="Messages"/>: read only to migrate; the history's rows now carry the sequence.</summary>
    public long LastSequence { get; set; }
}
