namespace AgentGrid.FrontDoor.Chat;

/// <summary>What browsers may do (<c>AgentGrid:Browser</c>).</summary>
public sealed class BrowserOptions
{
    public const string SectionName = "AgentGrid:Browser";

    /// <summary>
    /// Origins (scheme://host[:port]) of other web pages allowed to call the API and the hub from a browser, e.g. a
    /// company portal. Default: none — only the page AgentGrid serves itself.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
