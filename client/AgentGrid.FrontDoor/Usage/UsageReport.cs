using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using AgentGrid.Contracts.Usage;

namespace AgentGrid.FrontDoor.Usage;

/// <summary>One row of <c>GET /api/usage</c>: the dimensions asked for (the others are left out), and the sums.</summary>
public sealed record UsageReportRow
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Tenant { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Key { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Agent { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Model { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Day { get; init; }
    public long Requests { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CachedTokens { get; init; }
    public decimal CostUsd { get; init; }
    public long ToolRuns { get; init; }
    public long UploadedBytes { get; init; }
    public long WorkflowSteps { get; init; }
}

/// <summary>Groups ledger rollups by the dimensions a caller asks for, and writes them as CSV.</summary>
public static class UsageReport
{
    public static readonly IReadOnlyList<string> Dimensions = ["tenant", "key", "agent", "model", "day"];

    public static IReadOnlyList<UsageReportRow> Group(IEnumerable<UsageRow> rows, IReadOnlyCollection<string> groupBy) =>
    [
        .. rows
            .GroupBy(r => (
                Tenant: groupBy.Contains("tenant") ? r.Tenant : null,
                Key: groupBy.Contains("key") ? r.KeyId ?? "" : null,
                Agent: groupBy.Contains("agent") ? r.AgentId ?? "" : null,
                Model: groupBy.Contains("model") ? r.Model : null,
                Day: groupBy.Contains("day") ? r.Start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null))
            .Select(g => new UsageReportRow
            {
                Tenant = g.Key.Tenant,
                Key = g.Key.Key,
                Agent = g.Key.Agent,
                Model = g.Key.Model,
                Day = g.Key.Day,
                Requests = g.Sum(r => r.Requests),
                InputTokens = g.Sum(r => r.InputTokens),
                OutputTokens = g.Sum(r => r.OutputTokens),
                CachedTokens = g.Sum(r => r.CachedTokens),
                CostUsd = g.Sum(r => r.CostUsd),
                ToolRuns = g.Sum(r => r.ToolRuns),
                UploadedBytes = g.Sum(r => r.UploadedBytes),
                WorkflowSteps = g.Sum(r => r.WorkflowSteps),
            })
            .OrderBy(r => r.Day, StringComparer.Ordinal).ThenBy(r => r.Tenant, StringComparer.Ordinal)
            .ThenBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Agent, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal),
    ];

    public static string Csv(IReadOnlyList<UsageReportRow> rows, IReadOnlyCollection<string> groupBy)
    {
        var columns = Dimensions.Where(groupBy.Contains).ToList();
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', columns.Concat(["requests", "inputTokens", "outputTokens", "cachedTokens", "costUsd", "toolRuns", "uploadedBytes", "workflowSteps"])));
        foreach (var row in rows)
        {
            var values = columns.Select(c => Escape(c switch
            {
                "tenant" => row.Tenant,
                "key" => row.Key,
                "agent" => row.Agent,
                "model" => row.Model,
                _ => row.Day,
            }));
            csv.AppendLine(string.Join(',', values.Concat([
                row.Requests.ToString(CultureInfo.InvariantCulture),
                row.InputTokens.ToString(CultureInfo.InvariantCulture),
                row.OutputTokens.ToString(CultureInfo.InvariantCulture),
                row.CachedTokens.ToString(CultureInfo.InvariantCulture),
                row.CostUsd.ToString(CultureInfo.InvariantCulture),
                row.ToolRuns.ToString(CultureInfo.InvariantCulture),
                row.UploadedBytes.ToString(CultureInfo.InvariantCulture),
                row.WorkflowSteps.ToString(CultureInfo.InvariantCulture),
            ])));
        }

        return csv.ToString();
    }

    // Quotes fields that need it, and defuses values a spreadsheet would run as a formula.
    private static string Escape(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
