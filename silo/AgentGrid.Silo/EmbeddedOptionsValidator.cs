using Microsoft.Extensions.Options;

namespace AgentGrid.Silo;

/// <summary>Reports every mistake in <see cref="EmbeddedOptions"/> at once, at startup.</summary>
public sealed class EmbeddedOptionsValidator : IValidateOptions<EmbeddedOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedOptions options)
    {
        const string prefix = EmbeddedOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{prefix}:DataDirectory must name a folder.");
        }

        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 0 or > 65535)
        {
            failures.Add($"{prefix}:SiloPort must be between 1 and 65535, GatewayPort between 0 (no gateway) and 65535.");
        }
        else if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{prefix}:SiloPort and GatewayPort must differ (both are {options.SiloPort}).");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{prefix}:ServiceId must not be empty.");
        }

        if (options.EventPollPeriod < TimeSpan.FromMilliseconds(1) || options.EventPollPeriod > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}:EventPollPeriod must be between 1 ms and 1 s.");
        }

        if (options.GrainCallTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:GrainCallTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
