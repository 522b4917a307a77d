namespace AgentGrid.Inference.Profiles;

/// <summary>Where model profiles are read from (<c>AgentGrid:Profiles</c>).</summary>
public sealed class ProfileOptions
{
    /// <summary>Folder of <c>*.yaml</c>/<c>*.yml</c> profiles, searched recursively. Default: <c>profiles</c> next to the executable.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "profiles");
}
