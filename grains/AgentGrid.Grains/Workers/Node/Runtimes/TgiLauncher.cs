using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// <c>text-generation-launcher</c>: the reserved share as <c>--cuda-memory-fraction</c>, one shard per reserved GPU, the key in
/// <c>API_KEY</c> (TGI 2.3 and later). Several instances share a node, so each gets its own Prometheus port, shard socket folder
/// and NCCL master port. <c>--dtype</c> is left out where TGI refuses it beside the quantization (see the profile's warnings).
/// </summary>
public sealed class TgiLauncher : IServerLauncher
{
    private static readonly Dictionary<string, string> BlockFlags = new()
    {
        ["trust_remote_code"] = "--trust-remote-code", ["max_waiting_tokens"] = "--max-waiting-tokens", ["speculate"] = "--speculate",
        ["rope_scaling"] = "--rope-scaling", ["rope_factor"] = "--rope-factor", ["disable_custom_kernels"] = "--disable-custom-kernels",
    };

    private static readonly HashSet<string> Switches = ["trust_remote_code", "disable_custom_kernels"];

    public string Runtime => ModelRuntimes.Tgi;

    public IReadOnlyList<string> DefaultCommand => ["text-generation-launcher"];

    public LaunchPlan Plan(LaunchContext c)
    {
        var block = c.Block(Runtime);
        var p = c.Profile;
        var shards = block.Settings.TryGetValue("num_shard", out var n) ? int.Parse(n) : c.GpuCount;
        var flags = new Flags()
            .Add("--model-id", p.Source.ModelId)
            .Add("--revision", p.Source.Revision)
            .Add("--hostname", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--prometheus-port", c.AuxiliaryPorts[0])
            .Add("--master-port", c.AuxiliaryPorts[1])
            .Add("--shard-uds-path", Path.Combine(c.RunDirectory, "tgi-shard"))
            .Add("--huggingface-hub-cache", Path.Combine(c.CacheDirectory, "hub"))
            .Add("--num-shard", shards)
            .Add("--sharded", block.Settings.GetValueOrDefault("sharded"))
            .Add("--cuda-memory-fraction", c.MemoryFractionText)
            .Add("--quantize", ModelParameterNames.QuantizationOf(p.Parameters))
            .Add("--dtype", ProfileLaunchRules.TgiDropsDtype(p.Parameters) is null ? c.Parameter(ModelParameterNames.Dtype) : null)
            .Add("--max-input-tokens", ModelParameterNames.Int(p.Parameters, ModelParameterNames.MaxInputLength))
            .Add("--max-total-tokens", ModelParameterNames.Int(p.Parameters, ModelParameterNames.MaxTotalTokens) ?? ModelParameterNames.Int(p.Parameters, ModelParameterNames.MaxModelLen))
            .Add("--max-concurrent-requests", c.Admitted)
            .Add("--waiting-served-ratio", p.Performance.WaitingServedRatio)
            .Add("--max-batch-prefill-tokens", p.Performance.MaxBatchPrefillTokens)
            .Add("--max-batch-total-tokens", p.Performance.MaxBatchTotalTokens)
            .Settings(block.Settings, BlockFlags, Switches)
            .Extra(block.ExtraArgs);
        // TGI serves one model and answers to its id.
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string> { ["API_KEY"] = c.ApiKey }, p.Source.ModelId, ChecksApiKey: true);
    }
}
