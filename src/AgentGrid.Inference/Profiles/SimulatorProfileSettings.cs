using System.Globalization;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Simulator;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// The <c>parameters</c> a <c>simulator</c> profile understands, turned into the options of the simulator
/// instance a worker starts: <c>ttft_ms</c>, <c>itl_ms</c>, <c>tokens_per_reply</c>, <c>prefill_us_per_token</c>,
/// <c>load_penalty_ms</c>, <c>kv_cache_tokens</c>, <c>prefix_caching</c>, <c>load_ms</c> (how long loading takes).
/// </summary>
public static class SimulatorProfileSettings
{
    private static readonly Dictionary<string, (double Min, double Max)> Numbers = new()
    {
        ["ttft_ms"] = (0, 600_000),
        ["itl_ms"] = (0, 60_000),
        ["tokens_per_reply"] = (1, 100_000),
        ["prefill_us_per_token"] = (0, 1_000_000),
        ["load_penalty_ms"] = (0, 60_000),
        ["kv_cache_tokens"] = (0, 100_000_000),
        ["load_ms"] = (0, 3_600_000),
    };

    internal static void Validate(IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (key, value) in parameters)
        {
            if (key == "prefix_caching")
            {
                ProfileValidator.Require(bool.TryParse(value, out _), $"parameters.{key}", $"parameters.{key} must be true or false.");
                continue;
            }

            ProfileValidator.Require(Numbers.TryGetValue(key, out var range), $"parameters.{key}",
                $"parameters.{key} is not a simulator parameter; known: {string.Join(", ", Numbers.Keys.Append("prefix_caching"))}.");
            ProfileValidator.Require(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= range.Min && number <= range.Max,
                $"parameters.{key}", $"parameters.{key} must be a number between {range.Min} and {range.Max}.");
        }
    }

    public static SimulatorOptions OptionsFor(ModelProfile profile, string servedModel) => new()
    {
        Models = [servedModel],
        TimeToFirstToken = TimeSpan.FromMilliseconds(Number(profile, "ttft_ms", 60)),
        InterTokenLatency = TimeSpan.FromMilliseconds(Number(profile, "itl_ms", 10)),
        TokensPerReply = (int)Number(profile, "tokens_per_reply", 40),
        PrefillPerToken = TimeSpan.FromMicroseconds(Number(profile, "prefill_us_per_token", 0)),
        LoadPenaltyPerRequest = TimeSpan.FromMilliseconds(Number(profile, "load_penalty_ms", 0)),
        KvCacheTokens = (int)Number(profile, "kv_cache_tokens", 0),
        PrefixCaching = !profile.Parameters.TryGetValue("prefix_caching", out var caching) || bool.Parse(caching),
        MaxConcurrency = profile.Performance.MaxBatchSize,
    };

    public static TimeSpan LoadTime(ModelProfile profile) => TimeSpan.FromMilliseconds(Number(profile, "load_ms", 0));

    private static double Number(ModelProfile profile, string key, double fallback) =>
        profile.Parameters.TryGetValue(key, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
