using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// SGLang's <c>launch_server</c>: the reserved share as <c>--mem-fraction-static</c>, tensor parallelism over the reserved GPUs.
/// SGLang reads its key only from <c>--api-key</c>, so the key is on its command line (visible to the node's own users in <c>ps</c>).
/// </summary>
public sealed class SglangLauncher : IServerLauncher
{
    private static readonly Dictionary<string, string> BlockFlags = new()
    {
        ["trust_remote_code"] = "--trust-remote-code", ["max_running_requests"] = "--max-running-requests",
        ["chunked_prefill_size"] = "--chunked-prefill-size", ["tool_call_parser"] = "--tool-call-parser",
        ["kv_cache_dtype"] = "--kv-cache-dtype", ["enable_torch_compile"] = "--enable-torch-compile",
    };

    private static readonly HashSet<string> Switches = ["trust_remote_code", "enable_torch_compile"];

    public string Runtime => ModelRuntimes.Sglang;

    public IReadOnlyList<string> DefaultCommand => ["python3", "-m", "sglang.launch_server"];

    public LaunchPlan Plan(LaunchContext c)
    {
        var block = c.Block(Runtime);
        var flags = new Flags()
            .Add("--model-path", c.Profile.Source.ModelId)
            .Add("--revision", c.Profile.Source.Revision)
            .Add("--host", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--served-model-name", c.ServedModel)
            .Add("--api-key", c.ApiKey)
            .Add("--download-dir", Path.Combine(c.CacheDirectory, "hub"))
            .Add("--tp-size", c.GpuCount)
            .Add("--mem-fraction-static", c.MemoryFractionText)
            .Add("--context-length", c.ContextWindow)
            .Add("--dtype", c.Parameter(ModelParameterNames.Dtype))
            .Add("--quantization", ModelParameterNames.QuantizationOf(c.Profile.Parameters));
        if (c.IsEmbedding)
        {
            flags.Add("--is-embedding");
        }

        flags.Settings(block.Settings, BlockFlags, Switches).Extra(block.ExtraArgs);
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string>(), c.ServedModel, ChecksApiKey: true);
    }
}
