namespace AgentGrid.Contracts.Sessions;

/// <summary>One stored message of a session's history.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-message")]
public sealed record SessionMessage
{
    [Id(0)] public required string Id { get; init; }

    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    [Id(1)] public required string Role { get; init; }
    [Id(2)] public required string Content { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
}
