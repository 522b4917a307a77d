using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workflows;

/// <summary>Workflow runs' limits, bound from <c>AgentGrid:Workflows</c>.</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "AgentGrid:Workflows";

    /// <summary>
    /// How long a run waits for a member to decide an approval (an approval step, or a tool that requires approval)
    /// before it fails with <c>approval_expired</c>; 1 second to 30 days. Default: 7 days.
    /// </summary>
    public TimeSpan ApprovalTtl { get; set; } = TimeSpan.FromDays(7);
}

public sealed class WorkflowOptionsValidator : IValidateOptions<WorkflowOptions>
{
    // A reminder's due time must stay under about 49 days (a timer's limit).
    public static readonly TimeSpan MaxApprovalTtl = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, WorkflowOptions options)
    {
        var failures = new List<string>();
        if (options.ApprovalTtl < TimeSpan.FromSeconds(1) || options.ApprovalTtl > MaxApprovalTtl)
        {
            failures.Add($"{WorkflowOptions.SectionName}:ApprovalTtl must be between 00:00:01 and 30.00:00:00.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
