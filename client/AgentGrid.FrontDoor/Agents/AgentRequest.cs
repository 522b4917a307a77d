using AgentGrid.Contracts.Agents;

namespace AgentGrid.FrontDoor.Agents;

/// <summary>The body of <c>POST /api/agents</c> and <c>PUT /api/agents/{id}</c>.</summary>
public sealed record AgentRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? SystemPrompt { get; init; }
    public string? Model { get; init; }
    public ModelParameters? Parameters { get; init; }
    public IReadOnlyList<KnowledgeAttachment>? KnowledgeBases { get; init; }
    public AgentMemorySettings? Memory { get; init; }
    public IReadOnlyList<string>? Tools { get; init; }
    public IReadOnlyList<string>? McpServers { get; init; }

    public AgentDefinition ToDefinition() => new()
    {
        Name = Name ?? "",
        Description = Description,
        SystemPrompt = SystemPrompt,
        Model = Model,
        Parameters = Parameters ?? new ModelParameters(),
        KnowledgeBases = KnowledgeBases ?? [],
        Memory = Memory ?? new AgentMemorySettings(),
        Tools = Tools ?? [],
        McpServers = McpServers ?? [],
    };
}
