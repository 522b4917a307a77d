using System.Net;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Outbound;

/// <summary>Checks <see cref="OutboundOptions"/> at startup and reports every problem at once.</summary>
public sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    /// <summary>The largest <see cref="OutboundOptions.MaxResponseBytes"/>: bodies are read into one array.</summary>
    public const long MaxResponseBytesLimit = 1024L * 1024 * 1024;

    /// <summary>The longest <see cref="OutboundOptions.Timeout"/>.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        const string section = OutboundOptions.SectionName;
        var failures = new List<string>();
        foreach (var network in options.AllowedNetworks)
        {
            if (!IsCidr(network))
            {
                failures.Add($"{section}:AllowedNetworks entry '{network}' is not a CIDR network such as 10.0.0.0/8 (no host bits after the prefix).");
            }
        }

        if (options.AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{section}:AllowedHosts must not contain blank entries.");
        }

        if (options.MaxResponseBytes is < 1 or > MaxResponseBytesLimit)
        {
            failures.Add($"{section}:MaxResponseBytes must be between 1 and {MaxResponseBytesLimit} (1 GiB).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be positive and at most {MaxTimeout}.");
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            failures.Add($"{section}:MaxRedirects must be between 0 and 20.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    // IPNetwork.TryParse quietly clears host bits ("10.1.2.3/8" becomes 10.0.0.0/8); an operator who wrote that
    // most likely meant something narrower, so it is refused rather than widened.
    private static bool IsCidr(string value) =>
        IPNetwork.TryParse(value, out var network)
        && IPAddress.TryParse(value.AsSpan(0, value.IndexOf('/')), out var address)
        && address.Equals(network.BaseAddress);
}
