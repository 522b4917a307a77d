using AgentGrid.Contracts.Errors;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Tests.Inference;

public sealed class ProfileParserTests
{
    private const string Valid = """
        name: test-model
        category: chat
        source: { type: huggingface, model_id: org/model }
        container: { runtime: vllm }
        resources: { gpu_memory_min: 16GB, gpu_memory_recommended: 24GB }
        """;

    [Fact]
    public void Shipped_profiles_all_load_and_cover_chat_coding_reasoning_and_embedding()
    {
        var profiles = ProfileFiles.Load(Path.Combine(AppContext.BaseDirectory, "profiles"));

        Assert.Superset(new HashSet<string> { "chat", "coding", "reasoning", "embedding" }, profiles.Select(p => p.Category).ToHashSet());
        Assert.Contains(profiles, p => p.Container.Runtime == "simulator");
        var llama70 = profiles.Single(p => p.Name == "llama-3.3-70b-instruct");
        Assert.Equal(2, llama70.Resources.GpuCount);
        Assert.Equal(150 * 1024 / 2, llama70.Resources.PerGpuMiB);
        Assert.Equal("file:chat/llama-3.3-70b-instruct.yaml", llama70.Origin);
    }

    [Fact]
    public void Minimal_profile_gets_defaults()
    {
        var profile = ProfileParser.Parse(Valid, "test");

        Assert.Equal(16 * 1024, profile.Resources.GpuMemoryMinMiB);
        Assert.Equal(1, profile.Resources.GpuCount);
        Assert.Equal(8, profile.Performance.MaxConcurrentRequests);
        Assert.Equal(8, profile.Performance.MaxQueue);
        Assert.Equal((0, 1, "least-loaded"), (profile.Scaling.MinReplicas, profile.Scaling.MaxReplicas, profile.Scaling.Routing));
    }

    [Fact]
    public void Json_in_the_same_schema_is_accepted()
    {
        var profile = ProfileParser.Parse("""
            {"name": "json-model", "category": "coding", "source": {"type": "ollama", "model_id": "qwen2.5-coder:7b"},
             "container": {"runtime": "ollama"}, "resources": {"gpu_memory_min": "6GB"}, "tags": ["a"]}
            """, "api");

        Assert.Equal(("json-model", "ollama", 6 * 1024L), (profile.Name, profile.Source.Type, profile.Resources.GpuMemoryMinMiB));
    }

    [Theory]
    [InlineData("name: ''", "name")]
    [InlineData("name: Bad Name", "name")]
    [InlineData("category: ''", "category")]
    [InlineData("source: { type: ftp, model_id: x }", "source.type")]
    [InlineData("source: { type: local }", "source.model_id")]
    [InlineData("container: { runtime: docker }", "container.runtime")]
    [InlineData("resources: { gpu_memory_min: lots }", "resources.gpu_memory_min")]
    [InlineData("resources: { gpu_memory_recommended: 24GB }", "resources.gpu_memory_min")]
    [InlineData("resources: { gpu_memory_min: 24GB, gpu_memory_recommended: 16GB }", "resources.gpu_memory_recommended")]
    [InlineData("resources: { gpu_memory_min: 24GB, gpu_count: 0 }", "resources.gpu_count")]
    [InlineData("performance: { max_concurrent_requests: 0 }", "performance.max_concurrent_requests")]
    [InlineData("scaling: { min_replicas: 3, max_replicas: 2 }", "scaling.max_replicas")]
    [InlineData("scaling: { routing: random }", "scaling.routing")]
    [InlineData("flavour: vanilla", "flavour")]
    [InlineData("resources: { gpu_memory_min: 16GB, vram: 2 }", "vram")]
    public void Bad_field_is_named_in_the_error(string replacement, string field)
    {
        var key = replacement.Split(':')[0];
        var lines = Valid.Split('\n').Where(l => !l.StartsWith(key + ":", StringComparison.Ordinal)).Append(replacement);

        var error = Assert.Throws<AgentGridException>(() => ProfileParser.Parse(string.Join('\n', lines), "test"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Simulator_parameters_are_checked_by_name_and_range()
    {
        var yaml = Valid.Replace("runtime: vllm", "runtime: simulator") + "\nparameters: { ttft_ms: \"-5\" }";
        Assert.Equal("parameters.ttft_ms", Assert.Throws<AgentGridException>(() => ProfileParser.Parse(yaml, "t")).Field);

        var unknown = Valid.Replace("runtime: vllm", "runtime: simulator") + "\nparameters: { warp_speed: \"9\" }";
        Assert.Equal("parameters.warp_speed", Assert.Throws<AgentGridException>(() => ProfileParser.Parse(unknown, "t")).Field);
    }

    [Fact]
    public void Text_that_is_not_yaml_is_refused_with_its_position()
    {
        var error = Assert.Throws<AgentGridException>(() => ProfileParser.Parse("name: [unclosed", "t"));

        Assert.Equal("body", error.Field);
        Assert.Contains("line", error.Message);
    }

    [Fact]
    public void Broken_file_in_the_profiles_folder_stops_the_load_naming_file_and_field()
    {
        using var folder = new Infrastructure.TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "good.yaml"), Valid);
        File.WriteAllText(Path.Combine(folder.Path, "bad.yml"), Valid.Replace("16GB, gpu", "sixteen, gpu"));

        var error = Assert.Throws<InvalidOperationException>(() => ProfileFiles.Load(folder.Path));

        Assert.Contains("bad.yml: resources.gpu_memory_min", error.Message);
    }

    [Theory]
    [InlineData("16GB", 16384)]
    [InlineData("16 GiB", 16384)]
    [InlineData("512MiB", 512)]
    [InlineData("1.5TB", 1572864)]
    [InlineData("24", 24576)]
    public void Memory_sizes_read_as_mib(string text, long mib)
    {
        Assert.True(MemorySize.TryParseMiB(text, out var parsed));
        Assert.Equal(mib, parsed);
    }
}
