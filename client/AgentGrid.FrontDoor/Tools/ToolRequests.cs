using System.Text.Json;
using AgentGrid.Contracts.Tools;

namespace AgentGrid.FrontDoor.Tools;

/// <summary>The body of <c>POST /api/tools</c> and <c>PUT /api/tools/{id}</c>; schemas are JSON Schema objects.</summary>
public sealed record ToolRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public ToolKind? Kind { get; init; }
    public JsonElement? InputSchema { get; init; }
    public JsonElement? OutputSchema { get; init; }
    public string? Url { get; init; }
    public string? Method { get; init; }
    public bool? Writable { get; init; }
    public string? KnowledgeBaseId { get; init; }
    public int? TimeoutMs { get; init; }
    public int? RateLimitPerMinute { get; init; }
    public bool? RequiresApproval { get; init; }
    public bool? Enabled { get; init; }

    public ToolDefinition ToDefinition() => new()
    {
        Name = Name ?? "",
        Description = Description,
        Kind = Kind ?? throw Contracts.Errors.AgentGridException.Validation("kind", "kind is required: http, files, sqlite, knowledge_search or http_fetch."),
        InputSchema = Schema(InputSchema),
        OutputSchema = Schema(OutputSchema),
        Url = Url,
        Method = Method?.ToUpperInvariant(),
        Writable = Writable ?? false,
        KnowledgeBaseId = KnowledgeBaseId,
        TimeoutMs = TimeoutMs,
        RateLimitPerMinute = RateLimitPerMinute,
        RequiresApproval = RequiresApproval ?? false,
        Enabled = Enabled ?? true,
    };

    private static string? Schema(JsonElement? schema) => schema is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } s ? s.GetRawText() : null;
}

/// <summary>The body of <c>POST /api/tools/{id}/invoke</c>.</summary>
public sealed record InvokeToolRequest
{
    public JsonElement? Input { get; init; }
}

/// <summary>A tool as the API shows it: its definition's fields at the top level, schemas as JSON.</summary>
public sealed record ToolView(
    string Id, string Name, string? Description, ToolKind Kind, JsonElement InputSchema, JsonElement? OutputSchema, string? Url, string? Method,
    bool Writable, string? KnowledgeBaseId, int? TimeoutMs, int? RateLimitPerMinute, bool RequiresApproval, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ToolView Of(Tool tool)
    {
        var d = tool.Definition;
        return new ToolView(tool.Id, d.Name, d.Description, d.Kind, JsonDocument.Parse(d.InputSchema ?? "{}").RootElement.Clone(),
            d.OutputSchema is null ? null : JsonDocument.Parse(d.OutputSchema).RootElement.Clone(), d.Url, d.Method, d.Writable, d.KnowledgeBaseId,
            d.TimeoutMs, d.RateLimitPerMinute, d.RequiresApproval, d.Enabled, tool.CreatedAt, tool.UpdatedAt);
    }
}

/// <summary>An execution as the API shows it: input and output as JSON.</summary>
public sealed record ToolExecutionView(
    string Id, string ToolId, string ToolName, string? AgentId, string? SessionId, string? KeyId, JsonElement Input, JsonElement? Output,
    ToolExecutionStatus Status, string? ErrorCode, string? Error, double DurationMs, DateTimeOffset At)
{
    public static ToolExecutionView Of(ToolExecution e) => new(e.Id, e.ToolId, e.ToolName, e.AgentId, e.SessionId, e.KeyId,
        JsonDocument.Parse(e.Input).RootElement.Clone(), e.Output is null ? null : JsonDocument.Parse(e.Output).RootElement.Clone(),
        e.Status, e.ErrorCode, e.Error, e.DurationMs, e.At);
}
