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

/// <summary>Checks <see cref="BrowserOptions"/>: every allowed origin is an origin, each named.</summary>
public sealed class BrowserOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<BrowserOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, BrowserOptions options)
    {
        var problems = options.AllowedOrigins.Where(o => !BrowserSecurity.IsOrigin(o))
            .Select(o => $"{BrowserOptions.SectionName}:AllowedOrigins must be origins such as https://portal.example.com (scheme, host, optional port; no path); '{o}' is not.")
            .ToList();
        return problems.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
