namespace AgentGrid.Contracts.Usage;

/// <summary>
/// A rollup of the ledger: every call of one key, agent and model in one hour (or one day, once hourly detail has
/// aged out), summed; tool runs, uploads and workflow steps of a key and agent sum in a row of their own, whose model is <c>""</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.usage-row")]
public sealed record UsageRow
{
    /// <summary>Start of the hour, or of the day for a daily rollup.</summary>
    [Id(0)] public required DateTimeOffset Start { get; init; }

    [Id(1)] public string? KeyId { get; init; }
    [Id(2)] public string? AgentId { get; init; }
    [Id(3)] public required string Model { get; init; }
    [Id(4)] public long Requests { get; init; }
    [Id(5)] public long InputTokens { get; init; }
    [Id(6)] public long OutputTokens { get; init; }
    [Id(7)] public long CachedTokens { get; init; }
    [Id(8)] public decimal CostUsd { get; init; }

    /// <summary>Sum over calls that produced a token, for mean TTFT with <see cref="TimedRequests"/>.</summary>
    [Id(9)] public double TimeToFirstTokenMsSum { get; init; }
    [Id(10)] public long TimedRequests { get; init; }
    [Id(11)] public double TotalMsSum { get; init; }
    [Id(12)] public string Tenant { get; init; } = "";
    [Id(13)] public long ToolRuns { get; init; }
    [Id(14)] public long UploadedBytes { get; init; }
    [Id(15)] public long WorkflowSteps { get; init; }

    public UsageRow Add(UsageRow other) => this with
    {
        Requests = Requests + other.Requests,
        InputTokens = InputTokens + other.InputTokens,
        OutputTokens = OutputTokens + other.OutputTokens,
        CachedTokens = CachedTokens + other.CachedTokens,
        CostUsd = CostUsd + other.CostUsd,
        TimeToFirstTokenMsSum = TimeToFirstTokenMsSum + other.TimeToFirstTokenMsSum,
        TimedRequests = TimedRequests + other.TimedRequests,
        TotalMsSum = TotalMsSum + other.TotalMsSum,
        ToolRuns = ToolRuns + other.ToolRuns,
        UploadedBytes = UploadedBytes + other.UploadedBytes,
        WorkflowSteps = WorkflowSteps + other.WorkflowSteps,
    };
}
