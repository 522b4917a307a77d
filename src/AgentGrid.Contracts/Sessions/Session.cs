namespace AgentGrid.Contracts.Sessions;

/// <summary>A conversation with one agent.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session")]
public sealed record Session
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AgentId { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public int MessageCount { get; init; }
    [Id(5)] public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>The sequence number of the session's latest event; 0 before the first.</summary>
    [Id(6)] public long LastSequence { get; init; }

    /// <summary>What the oldest turns said, once the history outgrew the model's context window.</summary>
    [Id(7)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SessionSummary? Summary { get; init; }

    /// <summary>The end user the agent remembers this conversation under: the opening key's id, or the <c>user</c> it named.</summary>
    [Id(8)] public string? User { get; init; }

    /// <summary>Tool calls waiting for a member's approval, with the id of the turn they belong to.</summary>
    [Id(9)] public IReadOnlyList<PendingApproval> PendingApprovals { get; init; } = [];

    /// <summary>
    /// Who it belongs to inside the tenant: the opening key's owner. Null for a session stored before sessions had owners
    /// whose opener cannot be told; only the tenant's admins and tenant-wide keys reach those.
    /// </summary>
    [Id(10)] public string? Owner { get; init; }
}

/// <summary>A tool call that waits for a member's approval.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.pending-approval")]
public sealed record PendingApproval
{
    [Id(0)] public required Tools.ToolCall Call { get; init; }
    [Id(1)] public required string TurnId { get; init; }
    [Id(2)] public required string ToolId { get; init; }
    [Id(3)] public DateTimeOffset RequestedAt { get; init; }
}
