using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Sessions;

/// <summary>
/// One event of a session, published on stream <c>sessions/{tenant}/{id}</c> and kept so clients can
/// replay everything after a sequence number. <see cref="Sequence"/> increases strictly per session.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.session-event")]
public sealed record SessionEvent
{
    [Id(0)] public long Sequence { get; init; }

    /// <summary>One of <see cref="SessionEventTypes"/>.</summary>
    [Id(1)] public required string Type { get; init; }

    /// <summary>The id of the user message whose turn this event belongs to.</summary>
    [Id(2)] public required string TurnId { get; init; }

    [Id(3)] public DateTimeOffset At { get; init; }

    [Id(4)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SessionMessage? Message { get; init; }

    [Id(5)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Delta { get; init; }

    [Id(6)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InputTokens { get; init; }

    [Id(7)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OutputTokens { get; init; }

    [Id(8)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TimeToFirstTokenMs { get; init; }

    [Id(9)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TotalMs { get; init; }

    [Id(10)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    [Id(11)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [Id(12)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinishReason { get; init; }

    /// <summary>The new summary, on <c>memory.summarized</c>.</summary>
    [Id(13)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SessionSummary? Summary { get; init; }

    /// <summary>The tool call, on the <c>tool.*</c> events.</summary>
    [Id(14)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Tools.ToolCall? ToolCall { get; init; }

    /// <summary>The tool's output as JSON text, on <c>tool.completed</c> (clipped to <see cref="MaxOutputLength"/>).</summary>
    [Id(15)] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Output { get; init; }

    /// <summary>The most of a tool's output an event carries; the history keeps it whole.</summary>
    public const int MaxOutputLength = 4096;

    [JsonIgnore]
    public bool EndsTurn => Type is SessionEventTypes.MessageCompleted or SessionEventTypes.TurnFailed or SessionEventTypes.TurnPaused;
}
