using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// <c>vllm serve</c>: the reserved share of each GPU as <c>--gpu-memory-utilization</c> (a fraction of the GPU's total memory),
/// tensor parallelism over the reserved GPUs, the key in <c>VLLM_API_KEY</c> (vLLM checks it on <c>/v1</c>, not on <c>/health</c>).
/// Embedding profiles run with <c>--runner pooling</c> (vLLM 0.10 and later).
/// </summary>
public sealed class VllmLauncher : IServerLauncher
{
    private static readonly Dictionary<string, string> BlockFlags = new()
    {
        ["trust_remote_code"] = "--trust-remote-code", ["enable_prefix_caching"] = "--enable-prefix-caching", ["enforce_eager"] = "--enforce-eager",
        ["max_num_seqs"] = "--max-num-seqs", ["max_num_batched_tokens"] = "--max-num-batched-tokens", ["pipeline_parallel_size"] = "--pipeline-parallel-size",
        ["kv_cache_dtype"] = "--kv-cache-dtype", ["tokenizer"] = "--tokenizer", ["chat_template"] = "--chat-template",
        ["enable_auto_tool_choice"] = "--enable-auto-tool-choice", ["tool_call_parser"] = "--tool-call-parser", ["swap_space"] = "--swap-space",
    };

    private static readonly HashSet<string> Switches = ["trust_remote_code", "enable_prefix_caching", "enforce_eager", "enable_auto_tool_choice"];

    public string Runtime => ModelRuntimes.Vllm;

    public IReadOnlyList<string> DefaultCommand => ["vllm"];

    public LaunchPlan Plan(LaunchContext c)
    {
        var block = c.Block(Runtime);
        var flags = new Flags()
            .Add("serve", c.Profile.Source.ModelId)
            .Add("--host", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--served-model-name", c.ServedModel)
            .Add("--revision", c.Profile.Source.Revision)
            .Add("--download-dir", Path.Combine(c.CacheDirectory, "hub"))
            .Add("--tensor-parallel-size", c.GpuCount)
            .Add("--gpu-memory-utilization", c.MemoryFractionText)
            .Add("--max-model-len", c.ContextWindow)
            .Add("--dtype", c.Parameter(ModelParameterNames.Dtype))
            .Add("--quantization", Quantization(c))
            .Add("--max-num-seqs", block.Settings.ContainsKey("max_num_seqs") ? null : c.Profile.Performance.MaxBatchSize);
        if (c.IsEmbedding)
        {
            flags.Add("--runner", "pooling");
        }

        flags.Settings(block.Settings, BlockFlags, Switches).Extra(block.ExtraArgs);
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string> { ["VLLM_API_KEY"] = c.ApiKey }, c.ServedModel, ChecksApiKey: true);
    }

    // vLLM names bitsandbytes once, whatever its 4-bit flavour.
    private static string? Quantization(LaunchContext c) => ModelParameterNames.QuantizationOf(c.Profile.Parameters) switch
    {
        { } q when q.StartsWith("bitsandbytes", StringComparison.Ordinal) => "bitsandbytes",
        var q => q,
    };
}
