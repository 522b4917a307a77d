namespace AgentGrid.FrontDoor.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>.</summary>
public sealed record OpenSessionRequest
{
    public string? AgentId { get; init; }
    public Dictionary<string, string>? Variables { get; init; }

    /// <summary>The end user the agent's long-term memory files the session under. Default: the calling key's id.</summary>
    public string? User { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/messages</c>.</summary>
public sealed record SendMessageRequest
{
    public string? Content { get; init; }

    /// <summary>
    /// Optional idempotency key: the id the user message gets. Sending the same id and text again never stores the
    /// message twice: an answered turn is returned, an interrupted last turn is answered again.
    /// </summary>
    public string? MessageId { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/approvals/{callId}</c>.</summary>
public sealed record ApprovalRequest
{
    /// <summary>true to run the call, false to deny it.</summary>
    public bool? Approved { get; init; }

    /// <summary>The arguments the member saw (a JSON object); when given they must equal the call's.</summary>
    public System.Text.Json.JsonElement? Arguments { get; init; }

    /// <summary>Why it was denied; the model is told.</summary>
    public string? Reason { get; init; }
}
