namespace AgentGrid.FrontDoor.Operations;

/// <summary>The operators' credential (<c>AgentGrid:Admin</c>) that guards <c>/dashboard</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "AgentGrid:Admin";

    /// <summary>User name for Basic authentication. Default: <c>admin</c>.</summary>
    public string User { get; set; } = "admin";

    /// <summary>
    /// The password (also accepted as a Bearer token). Unset by default, and then the dashboard refuses everyone:
    /// it is never open. Give it from a secret, e.g. the environment variable <c>AgentGrid__Admin__Password</c>.
    /// </summary>
    public string? Password { get; set; }
}
