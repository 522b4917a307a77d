using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Tests.Inference;

/// <summary>Profiles load as users write them: the shared examples of the format, the shipped ones, their runtime blocks.</summary>
public sealed class ProfileFormatTests
{
    /// <summary>The format's examples beside the repository (<c>../shared/profile-format</c>), where that folder exists.</summary>
    public static string? SharedFormatFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentGrid.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "profile-format"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }

    [Fact]
    public void Every_example_of_the_shared_profile_format_loads_as_written()
    {
        if (SharedFormatFolder() is not { } folder)
        {
            // Only a checkout with the shared folder beside it has the examples; the shipped profiles below use the same format.
            return;
        }

        var profiles = ProfileFiles.Load(folder);

        Assert.Equal(Directory.GetFiles(folder, "*.yaml").Length, profiles.Count);
        var deepseek = profiles.Single(p => p.Name == "deepseek-coder-7b");
        Assert.Equal("1.0", deepseek.Version);
        Assert.Equal(4, deepseek.Resources.CpuCores);
        Assert.Equal(16 * 1024, deepseek.Resources.RamMiB);
        Assert.Equal(1.2, deepseek.Performance.WaitingServedRatio);
        Assert.Equal(new Dictionary<string, string> { ["sharded"] = "false", ["num_shard"] = "1", ["trust_remote_code"] = "true" }, deepseek.RuntimeBlocks["tgi"].Settings);
        Assert.Equal(["text", "vision", "multimodal"], profiles.Single(p => p.Name == "llama3.2-11b-vision").Capabilities);
        Assert.Equal("0.7", profiles.Single(p => p.Name == "llama3.2-3b").Parameters["temperature"]);
    }

    [Fact]
    public void Shipped_profiles_are_written_in_the_same_format_with_capabilities_and_runtime_blocks()
    {
        var profiles = ProfileFiles.Load(Path.Combine(AppContext.BaseDirectory, "profiles"));

        var bge = profiles.Single(p => p.Name == "bge-m3");
        Assert.Equal((ModelRuntimes.Tei, 1024, true), (bge.Container.Runtime, bge.Dimensions!.Value, bge.Can(ModelCapabilities.Embeddings)));
        Assert.False(bge.Can(ModelCapabilities.Text));
        Assert.Contains(profiles, p => p.Container.Runtime == ModelRuntimes.LlamaCpp && p.RuntimeBlocks.ContainsKey("llama_cpp"));
        Assert.Contains(profiles, p => p.Container.Runtime == ModelRuntimes.Sglang);
        Assert.Contains(profiles, p => p.Container.Runtime == ModelRuntimes.Tgi && p.RuntimeBlocks.ContainsKey("tgi"));
        Assert.All(profiles.Where(p => p.Category != "embedding" && p.Capabilities.Count == 2), p => Assert.Equal(["text", "tools"], p.Capabilities));
    }

    [Theory]
    [InlineData("flavour: spicy\n", "flavour")]
    [InlineData("tgi:\n  shards_please: 2\n", "tgi.shards_please")]
    [InlineData("vllm:\n  max_num_seqs: many\n", "vllm.max_num_seqs")]
    [InlineData("resources:\n  gpu_memory_min: 8GB\n  ram: lots\n", "resources.ram")]
    [InlineData("performance:\n  waiting_served_ratio: -1\n", "performance.waiting_served_ratio")]
    [InlineData("parameters:\n  temperature: hot\n", "parameters.temperature")]
    [InlineData("capabilities: [\"Not A Word\"]\n", "capabilities")]
    [InlineData("vllm:\n  tokenizer: --served-model-name=evil\n", "vllm.tokenizer")]
    public void An_unknown_or_mistyped_field_is_still_refused_by_name(string yaml, string field)
    {
        var text = Base.Replace("resources:\n  gpu_memory_min: 8GB\n", yaml.StartsWith("resources:") ? "" : "resources:\n  gpu_memory_min: 8GB\n") + yaml;

        var error = Assert.Throws<AgentGridException>(() => ProfileParser.Parse(text, "test"));

        Assert.Equal((ErrorCodes.ValidationFailed, field), (error.Code, error.Field));
    }

    [Fact]
    public void A_profile_stored_before_capabilities_existed_gets_its_categorys_defaults()
    {
        var stored = new AgentGrid.Grains.Storage.JsonGrainStateSerializer().Serialize(ProfileParser.Parse(Base, "api")).ToString()
            .Replace("\"capabilities\":[\"text\",\"tools\"],", "");

        var read = new AgentGrid.Grains.Storage.JsonGrainStateSerializer().Deserialize<ModelProfile>(BinaryData.FromString(stored))!;

        Assert.DoesNotContain("capabilities", stored);
        Assert.Equal(["text", "tools"], read.Capabilities);
        Assert.True(read.Can(ModelCapabilities.Tools));
    }

    [Fact]
    public void A_model_id_that_would_read_as_a_flag_is_refused()
    {
        var error = Assert.Throws<AgentGridException>(() => ProfileParser.Parse(Base.Replace("model_id: org/model", "model_id: --trust-remote-code"), "test"));

        Assert.Equal("source.model_id", error.Field);
    }

    [Fact]
    public void Extra_arguments_pass_what_a_block_does_not_type()
    {
        var profile = ProfileParser.Parse(Base + "vllm:\n  enforce_eager: true\n  extra_args: [\"--max-log-len\", \"100\"]\n", "test");

        Assert.Equal(["--max-log-len", "100"], profile.RuntimeBlocks["vllm"].ExtraArgs);
        Assert.True(ProfileLaunchRules.RunsOperatorCode(profile));
    }

    [Fact]
    public void Tgi_with_a_quantization_it_cannot_combine_with_dtype_loads_with_a_warning()
    {
        var awq = ProfileParser.Parse(Base.Replace("runtime: vllm", "runtime: tgi") + "parameters: { quantization: awq, dtype: float16 }\n", "test");
        var nf4 = ProfileParser.Parse(Base.Replace("runtime: vllm", "runtime: tgi") + "parameters: { quantization: bitsandbytes-nf4, dtype: float16 }\n", "test");

        Assert.Contains("quantization takes precedence", Assert.Single(awq.Warnings));
        Assert.Empty(nf4.Warnings);
    }

    [Fact]
    public void An_embedding_profile_states_its_dimensions_and_tgi_cannot_serve_it()
    {
        var embedding = Base.Replace("category: chat", "category: embedding");

        Assert.Equal("dimensions", Assert.Throws<AgentGridException>(() => ProfileParser.Parse(embedding, "test")).Field);
        Assert.Equal("container.runtime", Assert.Throws<AgentGridException>(() => ProfileParser.Parse(embedding.Replace("runtime: vllm", "runtime: tgi") + "dimensions: 1024\n", "test")).Field);
        Assert.Equal(1024, ProfileParser.Parse(embedding + "dimensions: 1024\n", "test").Dimensions);
    }

    [Fact]
    public void A_custom_command_names_only_known_placeholders()
    {
        var custom = Base.Replace("container:\n  runtime: vllm\n", "container:\n  runtime: custom\n  command: [my-server, --port, \"{port}\", --weights, \"{weights}\"]\n");

        var error = Assert.Throws<AgentGridException>(() => ProfileParser.Parse(custom, "test"));

        Assert.Equal("container.command", error.Field);
        Assert.Contains("{weights}", error.Message);
    }

    private const string Base = "name: format-test\ncategory: chat\nsource:\n  type: huggingface\n  model_id: org/model\ncontainer:\n  runtime: vllm\nresources:\n  gpu_memory_min: 8GB\n";
}
