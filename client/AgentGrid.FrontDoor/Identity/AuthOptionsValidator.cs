using System.Net;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        const string section = AuthOptions.SectionName;
        var failures = new List<string>();
        if (options.HashKey is { } hashKey && !(KeyHasher.TryDecode(hashKey, out var bytes) && bytes.Length >= 32))
        {
            failures.Add($"{section}:HashKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        if (options.HashKey is null && options.HashKeyFile is null)
        {
            failures.Add($"{section}:HashKey is required (base64 of 32 random bytes, from a secret), or HashKeyFile.");
        }

        if (options.BootstrapKey is { } bootstrap && !KeyShape.IsWellFormed(bootstrap))
        {
            failures.Add($"{section}:BootstrapKey must be {KeyShape.Description} (e.g. `echo agk_$(openssl rand -hex 32)`): "
                + "the front door refuses a key of any other shape unread.");
        }

        if (options.MetricsToken is { Length: < 16 })
        {
            failures.Add($"{section}:MetricsToken must be at least 16 characters.");
        }

        if (options.KeyCacheTime < TimeSpan.Zero || options.KeyCacheTime > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:KeyCacheTime must be between 0 and 5 minutes.");
        }

        if (options.UnknownKeyCacheTime < TimeSpan.Zero || options.UnknownKeyCacheTime > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:UnknownKeyCacheTime must be between 0 and 5 minutes.");
        }

        if (options.KeyCacheEntries is < 1 or > 10_000_000)
        {
            failures.Add($"{section}:KeyCacheEntries must be between 1 and 10,000,000.");
        }

        if (options.FailureLimit < 1)
        {
            failures.Add($"{section}:FailureLimit must be at least 1.");
        }

        if (options.FailureWindow < TimeSpan.FromSeconds(1) || options.FailureWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"{section}:FailureWindow must be between 1 second and 1 day.");
        }

        if (options.HubTicketTime < TimeSpan.FromSeconds(5) || options.HubTicketTime > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:HubTicketTime must be between 5 seconds and 10 minutes.");
        }

        if (options.MaxStreamsPerKey < 1)
        {
            failures.Add($"{section}:MaxStreamsPerKey must be at least 1.");
        }

        failures.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{section}:KnownProxies has '{p}', which is not an IP address."));
        failures.AddRange(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"{section}:KnownNetworks has '{n}', which is not a network in CIDR notation (e.g. 10.0.0.0/8)."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
