namespace AgentGrid.Grains.Sessions;

/// <summary>Session behaviour, bound from <c>AgentGrid:Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "AgentGrid:Sessions";

    /// <summary>Events each session keeps for replay; older ones are dropped. Default: 2000.</summary>
    public int MaxRetainedEvents { get; set; } = 2000;
}
