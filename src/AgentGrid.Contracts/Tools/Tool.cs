namespace AgentGrid.Contracts.Tools;

/// <summary>What a caller sets on a tool. Schemas are JSON Schema documents, kept as their JSON text.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool-definition")]
public sealed record ToolDefinition
{
    /// <summary>The name a model calls it by: letters, digits, '_' and '-', at most 64; unique in the tenant.</summary>
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public ToolKind Kind { get; init; }

    /// <summary>The JSON Schema its input must match. Default: the kind's own.</summary>
    [Id(3)] public string? InputSchema { get; init; }

    /// <summary>When set, the JSON Schema its output must match.</summary>
    [Id(4)] public string? OutputSchema { get; init; }

    /// <summary>For <c>http</c>: where the input is sent.</summary>
    [Id(5)] public string? Url { get; init; }

    /// <summary>For <c>http</c>: <c>POST</c> (default), <c>PUT</c> or <c>GET</c> (input as query string).</summary>
    [Id(6)] public string? Method { get; init; }

    /// <summary>For <c>sqlite</c>: whether it may change the database. Default: false.</summary>
    [Id(7)] public bool Writable { get; init; }

    /// <summary>For <c>knowledge_search</c>: the one knowledge base it searches. Default: the one the input names.</summary>
    [Id(8)] public string? KnowledgeBaseId { get; init; }

    /// <summary>How long one execution may take, 100 to 120,000 ms. Default: 10,000.</summary>
    [Id(9)] public int? TimeoutMs { get; init; }

    /// <summary>Executions allowed per minute across the tenant. Default: none.</summary>
    [Id(10)] public int? RateLimitPerMinute { get; init; }

    /// <summary>A member must approve each call an agent or a workflow's tool step makes before it runs.</summary>
    [Id(11)] public bool RequiresApproval { get; init; }

    [Id(12)] public bool Enabled { get; init; } = true;

    /// <summary>For <c>mcp</c>: the attached MCP server it comes from (set by the server, never by a caller).</summary>
    [Id(13)] public string? McpServerId { get; init; }

    /// <summary>For <c>mcp</c>: the tool's name on its server.</summary>
    [Id(14)] public string? RemoteName { get; init; }
}

/// <summary>A tool of a tenant.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool")]
public sealed record Tool
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required ToolDefinition Definition { get; init; }
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One run of a tool, as its log keeps it.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool-execution")]
public sealed record ToolExecution
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string ToolId { get; init; }
    [Id(2)] public required string ToolName { get; init; }
    [Id(3)] public string? AgentId { get; init; }
    [Id(4)] public string? SessionId { get; init; }
    [Id(5)] public string? KeyId { get; init; }

    /// <summary>The input, as JSON text.</summary>
    [Id(6)] public required string Input { get; init; }

    /// <summary>The output, as JSON text, when it succeeded.</summary>
    [Id(7)] public string? Output { get; init; }
    [Id(8)] public ToolExecutionStatus Status { get; init; }
    [Id(9)] public string? ErrorCode { get; init; }
    [Id(10)] public string? Error { get; init; }
    [Id(11)] public double DurationMs { get; init; }
    [Id(12)] public DateTimeOffset At { get; init; }

    /// <summary>The workflow run step that ran it, <c>{runId}/{stepId}</c>.</summary>
    [Id(13)] [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkflowStep { get; init; }

    /// <summary>Whose run it was inside the tenant (the owner of the key, session or workflow run that ran it).</summary>
    [Id(14)] public string? Owner { get; init; }

    /// <summary>The owner; runs logged before owners belong to the key that ran them, which owned itself.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? OwnerOrKey => Owner ?? KeyId;

    /// <summary>Where it sits in its tool's log, which is ordered by this: its time (ticks, 19 digits), then its id.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string LogPosition => At.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + Id;
}

/// <summary>Who runs a tool, for its log and its metering.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.tool-call-context")]
public sealed record ToolCallContext(
    [property: Id(0)] string? KeyId, [property: Id(1)] string? AgentId = null, [property: Id(2)] string? SessionId = null, [property: Id(3)] string? WorkflowStep = null,
    [property: Id(4)] string? Owner = null);
