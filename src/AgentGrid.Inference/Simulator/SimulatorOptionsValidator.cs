using System.Net;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Simulator;

/// <summary>Checks <see cref="SimulatorOptions"/>, listing every problem; <see cref="Providers.InferenceOptionsValidator"/> checks the embedded simulator's section with it.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options) =>
        Check(options, "Simulator").ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    /// <summary>Every problem with <paramref name="options"/>, each prefixed with the configuration path.</summary>
    public static IEnumerable<string> Check(SimulatorOptions options, string prefix)
    {
        if (!IPAddress.TryParse(options.Host, out _) && options.Host != "localhost")
        {
            yield return $"{prefix}:Host must be an IP address or 'localhost' (was '{options.Host}').";
        }

        if (string.IsNullOrEmpty(options.ApiKey) && !(options.Host == "localhost" || (IPAddress.TryParse(options.Host, out var address) && IPAddress.IsLoopback(address))))
        {
            yield return $"{prefix}:Host '{options.Host}' is reachable from other machines: give the simulator a key (AGENTGRID_SIMULATOR_API_KEY) or keep it on 127.0.0.1.";
        }

        if (options.Port is < 0 or > 65535)
        {
            yield return $"{prefix}:Port must be between 0 and 65535.";
        }

        if ((options.Models.Count == 0 && !options.OllamaApi) || options.Models.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{prefix}:Models must list at least one non-empty model id.";
        }

        if (options.TimeToFirstToken < TimeSpan.Zero || options.InterTokenLatency < TimeSpan.Zero)
        {
            yield return $"{prefix}: latencies cannot be negative.";
        }

        if (options.TokensPerReply < 1)
        {
            yield return $"{prefix}:TokensPerReply must be at least 1.";
        }

        if (options.PrefillPerToken < TimeSpan.Zero || options.LoadPenaltyPerRequest < TimeSpan.Zero)
        {
            yield return $"{prefix}: PrefillPerToken and LoadPenaltyPerRequest cannot be negative.";
        }

        if (options.KvCacheTokens < 0)
        {
            yield return $"{prefix}:KvCacheTokens cannot be negative (0 means unlimited).";
        }

        foreach (var problem in options.Faults.Check())
        {
            yield return $"{prefix}:Faults:{problem}";
        }

        if (options.MaxConcurrency < 1)
        {
            yield return $"{prefix}:MaxConcurrency must be at least 1.";
        }
    }
}
