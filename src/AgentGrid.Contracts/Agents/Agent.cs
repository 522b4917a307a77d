namespace AgentGrid.Contracts.Agents;

/// <summary>An agent as it is now: its current definition and version.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent")]
public sealed record Agent
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? Description { get; init; }
    [Id(3)] public string? SystemPrompt { get; init; }
    [Id(4)] public required string Model { get; init; }
    [Id(5)] public required ModelParameters Parameters { get; init; }
    [Id(6)] public int Version { get; init; }
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The placeholder names used in <see cref="SystemPrompt"/>, in order of first use.</summary>
    [Id(9)] public IReadOnlyList<string> Variables { get; init; } = [];

    [Id(10)] public IReadOnlyList<KnowledgeAttachment> KnowledgeBases { get; init; } = [];

    [Id(11)] public AgentMemorySettings Memory { get; init; } = new();

    /// <summary>The ids of the tools the model may call.</summary>
    [Id(12)] public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The ids of the MCP servers whose tools the model may call.</summary>
    [Id(13)] public IReadOnlyList<string> McpServers { get; init; } = [];
}
