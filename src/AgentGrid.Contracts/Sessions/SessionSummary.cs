namespace AgentGrid.Contracts.Sessions;

/// <summary>A summary of a session's oldest messages, which prompts carry instead of them.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-summary")]
public sealed record SessionSummary
{
    [Id(0)] public required string Text { get; init; }

    /// <summary>The index of the last message the summary covers; later messages are sent as they are.</summary>
    [Id(1)] public long ThroughIndex { get; init; }

    [Id(2)] public DateTimeOffset At { get; init; }

    /// <summary>The model that wrote it.</summary>
    [Id(3)] public string? Model { get; init; }
}
