namespace AgentGrid.Contracts.Tools;

/// <summary>A model's request to run one tool: the call's id, the tool's name and its arguments as a JSON object's text.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool-call")]
public sealed record ToolCall
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Arguments { get; init; }
}

/// <summary>A tool as a model is offered it: its name, what it does, and the JSON Schema of its arguments.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool-declaration")]
public sealed record ToolDeclaration
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }

    /// <summary>The JSON Schema text of the arguments.</summary>
    [Id(2)] public required string Parameters { get; init; }
}

/// <summary>What a member decides about a tool call that waits for approval.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.approval-decision")]
public sealed record ApprovalDecision
{
    [Id(0)] public bool Approved { get; init; }

    /// <summary>
    /// The arguments the member saw, as JSON; when given they must equal the call's, so an approval never covers
    /// arguments other than those shown.
    /// </summary>
    [Id(1)] public string? Arguments { get; init; }

    /// <summary>Why it was denied, told to the model.</summary>
    [Id(2)] public string? Reason { get; init; }
}
