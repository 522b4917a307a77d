using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools;

/// <summary>Where built-in tools keep tenants' files and databases, how much they may hold, and the tool loop's limits; bound from <c>AgentGrid:Tools</c>.</summary>
public sealed class ToolOptions
{
    public const string SectionName = "AgentGrid:Tools";

    /// <summary>
    /// The folder under which each tenant gets its <c>files</c> sandbox and <c>sqlite</c> database. Every silo of a cluster
    /// must see the same folder (a ReadWriteMany volume in Kubernetes), or a tool that runs on another silo finds another
    /// tenant folder. Default: the embedded grid's data folder plus <c>tools</c>; elsewhere <c>~/.local/share/agentgrid/tools</c>.
    /// </summary>
    public string DataRoot { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "agentgrid", "tools");

    /// <summary>The most bytes one tenant's files and database may hold together. Default: 256 MiB.</summary>
    public long MaxTenantBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most files and folders (inodes) one tenant's tool data may hold, its database included. Default: 2,000.</summary>
    public long MaxTenantFiles { get; set; } = 2000;

    /// <summary>
    /// The most bytes all tenants' tool data under <see cref="DataRoot"/> may hold together; keep it below the volume's
    /// size (SQLite's journal, and what other silos wrote since this one last counted, need the rest). Default: 16 GiB.
    /// </summary>
    public long MaxTotalBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>The most files and folders (inodes) under <see cref="DataRoot"/> together. Default: 500,000.</summary>
    public long MaxTotalFiles { get; set; } = 500_000;

    /// <summary>
    /// How long a silo trusts its count of one tenant's usage (one scan, then its own writes) before counting the tenant's
    /// folder again at its next write, to see what other silos wrote. Zero counts before every write. Default: 10 seconds.
    /// </summary>
    public TimeSpan TenantUsageRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The same for the whole <see cref="DataRoot"/>, whose count walks every tenant's folder. Default: 5 minutes.</summary>
    public TimeSpan TotalUsageRefresh { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Executions kept per tool in its log. Default: 1,000.</summary>
    public int KeepExecutions { get; set; } = 1000;

    /// <summary>Model calls in one turn that may call tools; the next one must answer in text. Default: 8.</summary>
    public int MaxIterations { get; set; } = 8;

    /// <summary>Tool calls one turn may make; calls beyond are refused and the model told. Default: 16.</summary>
    public int MaxCallsPerTurn { get; set; } = 16;
}

public sealed class ToolOptionsValidator : IValidateOptions<ToolOptions>
{
    private const long MinTenantBytes = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, ToolOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataRoot) || !Path.IsPathFullyQualified(options.DataRoot))
        {
            failures.Add($"{ToolOptions.SectionName}:DataRoot must be an absolute folder path.");
        }

        if (options.MaxTenantBytes < MinTenantBytes)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxTenantBytes must be at least {MinTenantBytes} (64 KiB).");
        }

        if (options.MaxTenantFiles < 10)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxTenantFiles must be at least 10.");
        }

        if (options.MaxTotalBytes < options.MaxTenantBytes)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxTotalBytes must be at least MaxTenantBytes ({options.MaxTenantBytes}).");
        }

        if (options.MaxTotalFiles < options.MaxTenantFiles)
        {
            failures.Add($"{ToolOptions.SectionName}:MaxTotalFiles must be at least MaxTenantFiles ({options.MaxTenantFiles}).");
        }

        if (options.TenantUsageRefresh < TimeSpan.Zero || options.TenantUsageRefresh > TimeSpan.FromHours(1))
        {
            failures.Add($"{ToolOptions.SectionName}:TenantUsageRefresh must be between 00:00:00 and 01:00:00.");
        }

        if (options.TotalUsageRefresh < TimeSpan.Zero || options.TotalUsageRefresh > TimeSpan.FromDays(1))
        {
            failures.Add($"{ToolOptions.SectionName}:TotalUsageRefresh must be between 00:00:00 and 1.00:00:00.");
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
