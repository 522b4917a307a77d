namespace AgentGrid.Grains.Sessions;

/// <summary>Session behaviour, bound from <c>AgentGrid:Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "AgentGrid:Sessions";

    /// <summary>Events each session keeps for replay; older ones are dropped. Default: 2000.</summary>
    public int MaxRetainedEvents { get; set; } = 2000;

    /// <summary>
    /// Recent messages each active session holds in memory (older ones are read from storage when asked for); prompts
    /// draw on these and the summary. Default: 1000.
    /// </summary>
    public int HistoryWindow { get; set; } = 1000;
}

public sealed class SessionOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SessionOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRetainedEvents < 100)
        {
            failures.Add($"{SessionOptions.SectionName}:MaxRetainedEvents must be at least 100.");
        }

        if (options.HistoryWindow < 10)
        {
            failures.Add($"{SessionOptions.SectionName}:HistoryWindow must be at least 10.");
        }

        return failures.Count > 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures) : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
