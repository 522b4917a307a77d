namespace AgentGrid.FrontDoor.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>.</summary>
public sealed record OpenSessionRequest
{
    public string? AgentId { get; init; }
    public Dictionary<string, string>? Variables { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/messages</c>.</summary>
public sealed record SendMessageRequest
{
    public string? Content { get; init; }
}
