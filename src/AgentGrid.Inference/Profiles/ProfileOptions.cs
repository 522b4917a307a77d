namespace AgentGrid.Inference.Profiles;

/// <summary>Where model profiles are read from (<c>AgentGrid:Profiles</c>).</summary>
public sealed class ProfileOptions
{
    public const string SectionName = "AgentGrid:Profiles";

    /// <summary>Folder of <c>*.yaml</c>/<c>*.yml</c> profiles, searched recursively. Default: <c>profiles</c> next to the executable.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "profiles");
}

/// <summary>Checks <see cref="ProfileOptions"/>: the folder is named (it may be empty or absent: then no profile ships).</summary>
public sealed class ProfileOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ProfileOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ProfileOptions options) =>
        string.IsNullOrWhiteSpace(options.Directory)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{ProfileOptions.SectionName}:Directory must name a folder of profiles.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
