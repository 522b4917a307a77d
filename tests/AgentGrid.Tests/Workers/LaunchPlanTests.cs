using AgentGrid.Contracts.Gpu;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Workers.Node;
using AgentGrid.Grains.Workers.Node.Runtimes;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Tests.Workers;

/// <summary>The exact command line each runtime gets from a profile as users write it, on a reservation of 8-18 GB of one H100.</summary>
public sealed class LaunchPlanTests
{
    private const string Uuid = "GPU-d2e14f23-4514-abf7-f137-c9a6cf9cbc82";

    [Fact]
    public void Tgi_gets_the_seed_profiles_settings_its_memory_fraction_and_ports_of_its_own()
    {
        var profile = ProfileParser.Parse("""
            name: deepseek-coder-7b
            category: coding
            version: "1.0"
            source: { type: huggingface, model_id: deepseek-ai/DeepSeek-Coder-V2-Instruct, revision: main }
            container: { runtime: tgi, image: ghcr.io/huggingface/text-generation-inference:latest }
            parameters: { max_input_length: 8192, max_total_tokens: 16384, quantization: bitsandbytes-nf4, dtype: float16 }
            resources: { gpu_memory_min: 8GB, gpu_memory_recommended: 12GB, cpu_cores: 4, ram: 16GB }
            performance: { max_batch_size: 32, max_concurrent_requests: 128, waiting_served_ratio: 1.2 }
            tgi: { sharded: false, num_shard: 1, trust_remote_code: true }
            """, "test");

        var plan = new TgiLauncher().Plan(Context(profile, 8192));

        Assert.Equal([
            "--model-id", "deepseek-ai/DeepSeek-Coder-V2-Instruct", "--revision", "main", "--hostname", "127.0.0.1", "--port", "8000",
            "--prometheus-port", "8001", "--master-port", "8002", "--shard-uds-path", "/run/w/tgi-shard", "--huggingface-hub-cache", "/cache/hub",
            "--num-shard", "1", "--sharded", "false", "--cuda-memory-fraction", "0.10", "--quantize", "bitsandbytes-nf4", "--dtype", "float16",
            "--max-input-tokens", "8192", "--max-total-tokens", "16384", "--max-concurrent-requests", "256", "--waiting-served-ratio", "1.2",
            "--trust-remote-code"], plan.Arguments);
        Assert.Equal("key", plan.Environment["API_KEY"]);
        Assert.Equal("deepseek-ai/DeepSeek-Coder-V2-Instruct", plan.ServedModel);
    }

    [Fact]
    public void Vllm_serves_the_profile_by_its_name_with_its_share_of_the_gpu_and_tensor_parallelism()
    {
        var profile = Shipped("llama-3.1-8b-instruct");

        var plan = new VllmLauncher().Plan(Context(profile, 18432));

        Assert.Equal([
            "serve", "meta-llama/Llama-3.1-8B-Instruct", "--host", "127.0.0.1", "--port", "8000", "--served-model-name", "llama-3.1-8b-instruct",
            "--revision", "main", "--download-dir", "/cache/hub", "--tensor-parallel-size", "1", "--gpu-memory-utilization", "0.22",
            "--max-model-len", "32768", "--dtype", "bfloat16", "--max-num-seqs", "64", "--enable-auto-tool-choice", "--tool-call-parser", "llama3_json"],
            plan.Arguments);
        Assert.Equal("key", plan.Environment["VLLM_API_KEY"]);
    }

    [Fact]
    public void Tei_runs_an_embedding_profile_on_one_gpu_and_is_asked_for_info_when_loading()
    {
        var plan = new TeiLauncher().Plan(Context(Shipped("bge-m3"), 3072));

        Assert.Equal([
            "--model-id", "BAAI/bge-m3", "--hostname", "127.0.0.1", "--port", "8000", "--prometheus-port", "8001", "--uds-path", "/run/w/tei",
            "--huggingface-hub-cache", "/cache/hub", "--served-model-name", "bge-m3", "--max-concurrent-requests", "320",
            "--pooling", "cls", "--max-client-batch-size", "64"], plan.Arguments);
        Assert.Equal("/info", plan.ModelsPath);
    }

    [Fact]
    public void Llama_cpp_offloads_every_layer_and_downloads_the_named_gguf()
    {
        var plan = new LlamaCppLauncher().Plan(Context(Shipped("qwen2.5-7b-instruct-gguf"), 7168));

        Assert.Equal([
            "--hf-repo", "Qwen/Qwen2.5-7B-Instruct-GGUF", "--host", "127.0.0.1", "--port", "8000", "--alias", "qwen2.5-7b-instruct-gguf",
            "--n-gpu-layers", "999", "--ctx-size", "32768", "--parallel", "8", "--temp", "0.7", "--top-p", "0.8", "--top-k", "20", "--repeat-penalty", "1.05",
            "--hf-file", "qwen2.5-7b-instruct-q4_k_m.gguf", "--jinja"], plan.Arguments);
        Assert.Equal("/cache/llama.cpp", plan.Environment["LLAMA_CACHE"]);
    }

    [Fact]
    public void Two_gpus_mean_tensor_parallelism_over_both_pinned_by_uuid()
    {
        var profile = Shipped("llama-3.1-8b-instruct-sglang");
        var reservation = new GpuReservation("w-1@n", "n", [0, 1], 20480, profile.Name, [Uuid, "GPU-2"], 81559);
        var context = new LaunchContext(profile, reservation, "0.0.0.0", 9000, "key", "/cache", "/run/w", [9001, 9002]);

        var plan = new SglangLauncher().Plan(context);
        var environment = ServerEnvironment.Build(context, plan, new GpuOptions(), hfToken: "hf_secret");

        Assert.Equal($"{Uuid},GPU-2", environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("hf_secret", environment["HF_TOKEN"]);
        Assert.Equal(["2", "0.25"], [plan.Arguments[plan.Arguments.ToList().IndexOf("--tp-size") + 1], plan.Arguments[plan.Arguments.ToList().IndexOf("--mem-fraction-static") + 1]]);
    }

    [Fact]
    public void A_custom_command_gets_its_placeholders_and_the_configured_executable_is_used_for_the_others()
    {
        var profile = ProfileParser.Parse("""
            name: my-server
            category: chat
            source: { type: huggingface, model_id: acme/model, revision: v2 }
            container: { runtime: custom, command: [python3, serve.py, --port, "{port}", --gpus, "{gpus}", "--key={api_key}", --mem, "{memory_fraction}"] }
            resources: { gpu_memory_min: 40GB }
            """, "file:my-server.yaml");

        var plan = new CustomLauncher().Plan(Context(profile, 40960));
        var options = new GpuOptions { Runtimes = { ["vllm"] = new RuntimeCommandOptions { Command = "/opt/vllm/bin/vllm" } } };

        Assert.Equal(["python3", "serve.py", "--port", "8000", "--gpus", Uuid, "--key=key", "--mem", "0.50"], ServerLaunchers.CommandLine("custom", plan, options));
        Assert.Equal("/opt/vllm/bin/vllm", ServerLaunchers.CommandLine("vllm", new VllmLauncher().Plan(Context(Shipped("llama-3.1-8b-instruct"), 18432)), options)[0]);
    }

    private static LaunchContext Context(AgentGrid.Contracts.Profiles.ModelProfile profile, long mib) =>
        new(profile, new GpuReservation("w-1@n", "n", [0], mib, profile.Name, [Uuid], 81559), "127.0.0.1", 8000, "key", "/cache", "/run/w", [8001, 8002]);

    private static AgentGrid.Contracts.Profiles.ModelProfile Shipped(string name) =>
        ProfileFiles.Load(Path.Combine(AppContext.BaseDirectory, "profiles")).Single(p => p.Name == name);
}
