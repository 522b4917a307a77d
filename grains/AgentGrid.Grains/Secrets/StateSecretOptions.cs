using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Secrets;

/// <summary>
/// The grid's secret as silos need it (<c>AgentGrid:Auth</c>, the section front doors hash keys with): silos derive
/// from it the key that encrypts secrets kept in grain state (<see cref="StateSecrets"/>), so every silo of a cluster
/// needs the same one as the front doors.
/// </summary>
public sealed class StateSecretOptions
{
    public const string SectionName = "AgentGrid:Auth";

    /// <summary>Base64 of at least 32 random bytes, from a secret; the same on every silo and front door. Default: none.</summary>
    public string? HashKey { get; set; }

    /// <summary>Where the secret is kept when <see cref="HashKey"/> is not given (made there the first time). The embedded default uses its data folder.</summary>
    public string? HashKeyFile { get; set; }
}

/// <summary>Checks <see cref="StateSecretOptions"/>: a secret is given, and is long enough.</summary>
public sealed class StateSecretOptionsValidator : IValidateOptions<StateSecretOptions>
{
    public ValidateOptionsResult Validate(string? name, StateSecretOptions options)
    {
        const string section = StateSecretOptions.SectionName;
        var failures = new List<string>();
        if (options.HashKey is { } key && !(TryDecode(key, out var bytes) && bytes.Length >= 32))
        {
            failures.Add($"{section}:HashKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        if (string.IsNullOrEmpty(options.HashKey) && string.IsNullOrEmpty(options.HashKeyFile))
        {
            failures.Add($"{section}:HashKey is required on silos too (the front doors' secret): it keeps secrets in grain state, such as MCP servers' headers, encrypted.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        var ok = Convert.TryFromBase64String(base64, bytes, out var written);
        bytes = ok ? bytes[..written] : [];
        return ok;
    }
}
