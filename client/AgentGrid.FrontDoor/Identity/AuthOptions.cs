namespace AgentGrid.FrontDoor.Identity;

/// <summary>How the front door authenticates callers (<c>AgentGrid:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "AgentGrid:Auth";

    /// <summary>
    /// The secret (base64, at least 32 bytes) that keys the hash API keys are stored under. Every front door of a
    /// cluster needs the same one; give it from a secret. Default: read from (or, the first time, made in)
    /// <see cref="HashKeyFile"/>.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>Where the hash secret is kept when <see cref="HashKey"/> is not given. The embedded default uses its data folder.</summary>
    public string? HashKeyFile { get; set; }

    /// <summary>
    /// An admin key of tenant <c>default</c> that is made to exist at start (cluster mode: from a secret). Default: none;
    /// the embedded default then makes one at its first start and writes it to <see cref="AdminKeyFile"/>.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Where the first start writes the admin key it made (mode 0600). Unset: no key is made (cluster mode).</summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>A token that may read <c>/metrics</c> (and nothing else), for a Prometheus scrape. Default: none (admin keys only).</summary>
    public string? MetricsToken { get; set; }

    /// <summary>How long a front door trusts a key it looked up before asking again. Revoking through this front door takes effect at once. Default: 5 s.</summary>
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Event streams (SSE and SignalR) one key may hold open on one front door. Default: 32.</summary>
    public int MaxStreamsPerKey { get; set; } = 32;
}

public sealed class AuthOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AuthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.HashKey is { } hashKey && !(KeyHasher.TryDecode(hashKey, out var bytes) && bytes.Length >= 32))
        {
            failures.Add($"{AuthOptions.SectionName}:HashKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        if (options.HashKey is null && options.HashKeyFile is null)
        {
            failures.Add($"{AuthOptions.SectionName}:HashKey is required (base64 of 32 random bytes, from a secret), or HashKeyFile.");
        }

        if (options.BootstrapKey is { Length: < 32 })
        {
            failures.Add($"{AuthOptions.SectionName}:BootstrapKey must be at least 32 characters (e.g. `echo agk_$(openssl rand -hex 32)`).");
        }

        if (options.MetricsToken is { Length: < 16 })
        {
            failures.Add($"{AuthOptions.SectionName}:MetricsToken must be at least 16 characters.");
        }

        if (options.KeyCacheTime < TimeSpan.Zero || options.KeyCacheTime > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{AuthOptions.SectionName}:KeyCacheTime must be between 0 and 5 minutes.");
        }

        if (options.MaxStreamsPerKey < 1)
        {
            failures.Add($"{AuthOptions.SectionName}:MaxStreamsPerKey must be at least 1.");
        }

        return failures.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
