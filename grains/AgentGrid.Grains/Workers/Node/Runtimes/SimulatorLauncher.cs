using System.Globalization;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// The built-in simulator as a server process of its own: the silo's executable with its <c>simulator</c> command, paced by the
/// profile's simulator parameters, checking the key from <c>AGENTGRID_SIMULATOR_API_KEY</c>. An embedding profile gets the
/// simulator's embedding mode (deterministic vectors of the profile's <c>dimensions</c>).
/// </summary>
public sealed class SimulatorLauncher : IServerLauncher
{
    public const string ApiKeyVariable = "AGENTGRID_SIMULATOR_API_KEY";

    public string Runtime => ModelRuntimes.Simulator;

    public IReadOnlyList<string> DefaultCommand => SiloExecutable.Command;

    public LaunchPlan Plan(LaunchContext c)
    {
        var o = SimulatorProfileSettings.OptionsFor(c.Profile, c.ServedModel);
        var flags = new Flags()
            .Add("simulator")
            .Add("--host", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--model", c.ServedModel)
            .Add("--ttft-ms", o.TimeToFirstToken.TotalMilliseconds)
            .Add("--itl-ms", o.InterTokenLatency.TotalMilliseconds)
            .Add("--tokens", o.TokensPerReply)
            .Add("--max-concurrency", o.MaxConcurrency)
            .Add("--prefill-us", o.PrefillPerToken.TotalMicroseconds)
            .Add("--load-penalty-ms", o.LoadPenaltyPerRequest.TotalMilliseconds)
            .Add("--kv-cache-tokens", o.KvCacheTokens)
            .Add("--prefix-caching", o.PrefixCaching ? "true" : "false")
            .Add("--load-ms", SimulatorProfileSettings.LoadTime(c.Profile).TotalMilliseconds)
            .Add("--embedding-dimensions", c.IsEmbedding ? c.Profile.Dimensions : null);
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string> { [ApiKeyVariable] = c.ApiKey }, c.ServedModel, ChecksApiKey: true);
    }
}
