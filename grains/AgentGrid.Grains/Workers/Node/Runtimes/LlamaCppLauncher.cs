using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// llama.cpp's <c>llama-server</c>: every layer offloaded (<c>-ngl 999</c>, which every build reads as "all") across the reserved
/// GPUs, a GGUF path for <c>local</c> sources or <c>--hf-repo</c> (downloaded into <c>LLAMA_CACHE</c>), the key in <c>LLAMA_API_KEY</c>.
/// One slot per concurrent request; <c>-c</c> is the whole KV cache, shared by the slots.
/// </summary>
public sealed class LlamaCppLauncher : IServerLauncher
{
    private static readonly Dictionary<string, string> BlockFlags = new()
    {
        ["hf_file"] = "--hf-file", ["threads"] = "--threads", ["split_mode"] = "--split-mode", ["chat_template"] = "--chat-template",
        ["flash_attn"] = "--flash-attn", ["jinja"] = "--jinja",
    };

    private static readonly HashSet<string> Switches = ["jinja"];

    public string Runtime => ModelRuntimes.LlamaCpp;

    public IReadOnlyList<string> DefaultCommand => ["llama-server"];

    public LaunchPlan Plan(LaunchContext c)
    {
        var block = c.Block(Runtime);
        var s = block.Settings;
        var flags = new Flags()
            .Add(c.IsLocalSource ? "--model" : "--hf-repo", c.Profile.Source.ModelId)
            .Add("--host", c.BindAddress)
            .Add("--port", c.Port)
            .Add("--alias", c.ServedModel)
            .Add("--n-gpu-layers", s.GetValueOrDefault("n_gpu_layers") ?? "999")
            .Add("--ctx-size", s.GetValueOrDefault("ctx_size") ?? (c.ContextWindow is { } window ? window.ToString() : null))
            .Add("--parallel", s.GetValueOrDefault("parallel") ?? c.Profile.Performance.MaxConcurrentRequests.ToString());
        if (c.IsEmbedding)
        {
            flags.Add("--embeddings");
        }

        // The profile's default sampling, as the server's own defaults (requests that set them still win).
        flags.Add("--temp", c.Parameter(ModelParameterNames.Temperature))
            .Add("--top-p", c.Parameter(ModelParameterNames.TopP))
            .Add("--top-k", c.Parameter(ModelParameterNames.TopK))
            .Add("--repeat-penalty", c.Parameter(ModelParameterNames.RepeatPenalty));

        if (s.GetValueOrDefault("flash_attn") is { } flash)
        {
            flags.Add("--flash-attn", flash == "true" ? "on" : "off");
        }

        flags.Settings(s.Where(p => p.Key != "flash_attn").ToDictionary(), BlockFlags, Switches).Extra(block.ExtraArgs);
        return new LaunchPlan(flags.Arguments, new Dictionary<string, string>
        {
            ["LLAMA_API_KEY"] = c.ApiKey,
            ["LLAMA_CACHE"] = Path.Combine(c.CacheDirectory, "llama.cpp"),
        }, c.ServedModel, ChecksApiKey: true);
    }
}
