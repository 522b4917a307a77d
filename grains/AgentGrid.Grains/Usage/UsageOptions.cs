namespace AgentGrid.Grains.Usage;

/// <summary>The usage ledger's retention and write pace (<c>AgentGrid:Usage</c>).</summary>
public sealed class UsageOptions
{
    public const string SectionName = "AgentGrid:Usage";

    /// <summary>How long hourly rollups are kept before a day is folded into one daily rollup. Default: 31 days.</summary>
    public int HourlyRetentionDays { get; set; } = 31;

    /// <summary>How long daily rollups are kept; older days are deleted. Default: 400 days.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>How often a day's rollups are written while calls come in. Default: 2 seconds.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class UsageOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<UsageOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, UsageOptions options)
    {
        var failures = new List<string>();
        if (options.HourlyRetentionDays < 1)
        {
            failures.Add("AgentGrid:Usage:HourlyRetentionDays must be at least 1.");
        }

        if (options.RetentionDays < options.HourlyRetentionDays)
        {
            failures.Add("AgentGrid:Usage:RetentionDays must be at least HourlyRetentionDays.");
        }

        if (options.FlushInterval < TimeSpan.FromMilliseconds(100) || options.FlushInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("AgentGrid:Usage:FlushInterval must be between 100 ms and 5 minutes.");
        }

        return failures.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
