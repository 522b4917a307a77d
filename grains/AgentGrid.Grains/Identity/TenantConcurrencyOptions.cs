using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Identity;

/// <summary>
/// How much of one tenant's work runs at once on each silo, bound from <c>AgentGrid:TenantConcurrency</c>; 0 means no
/// limit. Counted per silo (like the ingestion queue), so with N silos a tenant may run up to N times as many; a run
/// over its limit is refused at once with <c>rate_limited</c> (429, <c>Retry-After</c>) rather than queued.
/// </summary>
public sealed class TenantConcurrencyOptions
{
    public const string SectionName = "AgentGrid:TenantConcurrency";

    /// <summary>The largest limit that may be set.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Tool runs of one tenant in flight at once (sessions, workflows and <c>/api/tools/{id}/invoke</c>, MCP tools included). Default: 16.</summary>
    public int ToolRuns { get; set; } = 16;

    /// <summary>Calls to MCP servers' tools of one tenant in flight at once (they also count as tool runs). Default: 8.</summary>
    public int McpCalls { get; set; } = 8;

    /// <summary>Workflow runs of one tenant executing at once (a run waiting for an approval holds none). Default: 10.</summary>
    public int WorkflowRuns { get; set; } = 10;

    internal IEnumerable<(string Name, int Value)> All() =>
        [(nameof(ToolRuns), ToolRuns), (nameof(McpCalls), McpCalls), (nameof(WorkflowRuns), WorkflowRuns)];
}

public sealed class TenantConcurrencyOptionsValidator : IValidateOptions<TenantConcurrencyOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantConcurrencyOptions options)
    {
        var failures = options.All()
            .Where(limit => limit.Value is < 0 or > TenantConcurrencyOptions.MaxLimit)
            .Select(limit => $"{TenantConcurrencyOptions.SectionName}:{limit.Name} must be between 0 (no limit) and {TenantConcurrencyOptions.MaxLimit}.")
            .ToList();
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
