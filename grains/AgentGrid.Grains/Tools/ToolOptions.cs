using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools;

/// <summary>Where built-in tools keep tenants' files and databases, bound from <c>AgentGrid:Tools</c>.</summary>
public sealed class ToolOptions
{
    public const string SectionName = "AgentGrid:Tools";

    /// <summary>
    /// The folder under which each tenant gets its <c>files</c> sandbox and <c>sqlite</c> database. Default: the embedded
    /// grid's data folder plus <c>tools</c>; elsewhere <c>agentgrid-tools</c> in the temp folder (set a volume in a cluster).
    /// </summary>
    public string DataRoot { get; set; } = Path.Combine(Path.GetTempPath(), "agentgrid-tools");

    /// <summary>Executions kept per tool in its log. Default: 1,000.</summary>
    public int KeepExecutions { get; set; } = 1000;

    /// <summary>Model calls in one turn that may call tools; the next one must answer in text. Default: 8.</summary>
    public int MaxIterations { get; set; } = 8;

    /// <summary>Tool calls one turn may make; calls beyond are refused and the model told. Default: 16.</summary>
    public int MaxCallsPerTurn { get; set; } = 16;
}

public sealed class ToolOptionsValidator : IValidateOptions<ToolOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataRoot) || !Path.IsPathFullyQualified(options.DataRoot))
        {
            failures.Add($"{ToolOptions.SectionName}:DataRoot must be an absolute folder path.");
        }

        if (options.KeepExecutions is < 10 or > 1_000_000)
        {
            failures.Add($"{ToolOptions.SectionName}:KeepExecutions must be between 10 and 1000000.");
        }

        if (options.MaxIterations is < 1 or > 100)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxIterations must be between 1 and 100.");
        }

        if (options.MaxCallsPerTurn is < 1 or > 1000)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxCallsPerTurn must be between 1 and 1000.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
