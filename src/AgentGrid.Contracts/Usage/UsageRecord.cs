namespace AgentGrid.Contracts.Usage;

/// <summary>
/// One model call, tool run, upload or workflow step, as the ledger records it and the <c>usage</c> stream announces it.
/// A tool run, an upload or a workflow step has no model (<c>""</c>) and counts in its own column, not in <c>requests</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.usage-record")]
public sealed record UsageRecord
{
    [Id(0)] public required string Tenant { get; init; }

    /// <summary>The API key the call was made with; null for calls the grid made by itself.</summary>
    [Id(1)] public string? KeyId { get; init; }

    [Id(2)] public string? AgentId { get; init; }
    [Id(3)] public required string Model { get; init; }

    /// <summary>
    /// What made the call: <c>session</c> or <c>completion</c> (stateless <c>/v1</c>), and the like; <c>tool</c> for a
    /// tool run (<see cref="ToolRuns"/>), <c>upload</c> for files uploaded to a knowledge base (<see cref="UploadedBytes"/>),
    /// <c>workflow</c> for a workflow step (<see cref="WorkflowSteps"/>).
    /// </summary>
    [Id(4)] public required string Source { get; init; }

    [Id(5)] public long InputTokens { get; init; }
    [Id(6)] public long OutputTokens { get; init; }
    [Id(7)] public long CachedTokens { get; init; }
    [Id(8)] public decimal CostUsd { get; init; }
    [Id(9)] public double? TimeToFirstTokenMs { get; init; }
    [Id(10)] public double TotalMs { get; init; }
    [Id(11)] public required DateTimeOffset At { get; init; }

    /// <summary>Tool runs (built-in, http, MCP; from sessions, workflows or <c>/api/tools/{id}/invoke</c>).</summary>
    [Id(12)] public long ToolRuns { get; init; }

    /// <summary>Bytes of files uploaded to knowledge bases (each is extracted once).</summary>
    [Id(13)] public long UploadedBytes { get; init; }

    /// <summary>Agent, tool and hand-off steps a workflow run made (each once, whatever its outcome).</summary>
    [Id(14)] public long WorkflowSteps { get; init; }

    /// <summary>Sources that are not model calls.</summary>
    public const string ToolSource = "tool", UploadSource = "upload", WorkflowSource = "workflow";

    /// <summary>Whether this record is a model call (counted in <c>requests</c>).</summary>
    public bool IsModelCall => Source is not (ToolSource or UploadSource or WorkflowSource);
}
