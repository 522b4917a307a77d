namespace AgentGrid.FrontDoor.Events;

/// <summary>How the front door follows session streams for its clients, bound from <c>AgentGrid:Events</c>.</summary>
public sealed class SessionEventFeedOptions
{
    public const string SectionName = "AgentGrid:Events";

    /// <summary>Live events buffered per subscriber; beyond that a slow client reads back from the session. Default: 256.</summary>
    public int SubscriberBuffer { get; set; } = 256;

    /// <summary>How long a quiet subscription waits before checking the session for a lost publish. Default: 10 seconds.</summary>
    public TimeSpan QuietCheck { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class SessionEventFeedOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SessionEventFeedOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SessionEventFeedOptions options)
    {
        var failures = new List<string>();
        if (options.SubscriberBuffer < 8)
        {
            failures.Add($"{SessionEventFeedOptions.SectionName}:SubscriberBuffer must be at least 8.");
        }

        if (options.QuietCheck <= TimeSpan.Zero)
        {
            failures.Add($"{SessionEventFeedOptions.SectionName}:QuietCheck must be positive.");
        }

        return failures.Count > 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures) : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
