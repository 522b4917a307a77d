namespace AgentGrid.Contracts.Agents;

/// <summary>How an agent uses its long-term memory of each end user.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent-memory-settings")]
public sealed record AgentMemorySettings
{
    /// <summary>The most relevant remembered facts enter each turn's prompt. Default: true.</summary>
    [Id(0)] public bool Recall { get; init; } = true;

    /// <summary>After each turn, the agent's model saves durable facts it learned about the user. Default: false.</summary>
    [Id(1)] public bool Extract { get; init; }

    /// <summary>Facts older than this many days are deleted; null keeps them until forgotten. Default: null.</summary>
    [Id(2)] public int? RetentionDays { get; init; }
}
