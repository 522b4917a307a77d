namespace AgentGrid.Contracts.Agents;

/// <summary>What a user defines about an agent; each change of it is a new version.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.agent-definition")]
public sealed record AgentDefinition
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string? Description { get; init; }

    /// <summary>The system prompt; <c>{{variable}}</c> placeholders are filled per session.</summary>
    [Id(2)] public string? SystemPrompt { get; init; }

    /// <summary>A configured model name; null means the grid's default model.</summary>
    [Id(3)] public string? Model { get; init; }

    [Id(4)] public ModelParameters Parameters { get; init; } = new();

    /// <summary>Knowledge bases each turn retrieves from; their passages enter the prompt as data and the reply cites them.</summary>
    [Id(5)] public IReadOnlyList<KnowledgeAttachment> KnowledgeBases { get; init; } = [];

    /// <summary>How the agent remembers each end user across sessions.</summary>
    [Id(6)] public AgentMemorySettings Memory { get; init; } = new();

    /// <summary>The ids of the tenant's tools the model may call in a turn.</summary>
    [Id(7)] public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The ids of attached MCP servers whose tools (as they are at each turn) the model may call.</summary>
    [Id(8)] public IReadOnlyList<string> McpServers { get; init; } = [];
}
