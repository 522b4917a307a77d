using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Inference.Profiles;

/// <summary>Checks a profile document field by field and fills the defaults; the first problem is reported with its field.</summary>
internal static class ProfileValidator
{
    public static readonly IReadOnlyList<string> SourceTypes = ["huggingface", "ollama", "local", "openai"];
    public static readonly IReadOnlyList<string> Runtimes = ModelRuntimes.All;

    public static ModelProfile Validate(ProfileDocument d, string origin)
    {
        var name = Required(d.Name, "name");
        Require(ProfileNames.IsValid(name), "name", "name must be 1-100 characters of lower-case letters, digits, '.', '-' or '_', starting with a letter or digit.");
        var category = Required(d.Category, "category").ToLowerInvariant();
        Require(ProfileNames.IsValid(category), "category", "category must be a short lower-case word such as chat, coding, reasoning or embedding.");

        var source = d.Source ?? throw Missing("source");
        var sourceType = Required(source.Type, "source.type").ToLowerInvariant();
        Require(SourceTypes.Contains(sourceType), "source.type", $"source.type must be one of {string.Join(", ", SourceTypes)}.");
        var modelId = Required(source.ModelId, "source.model_id");
        // Values become server arguments: one that starts with '-' would be read as a flag.
        Require(!modelId.StartsWith('-'), "source.model_id", "source.model_id must not start with '-'.");
        Require(source.Revision?.Trim().StartsWith('-') != true, "source.revision", "source.revision must not start with '-'.");

        var container = d.Container ?? throw Missing("container");
        var runtime = Required(container.Runtime, "container.runtime").ToLowerInvariant();
        Require(Runtimes.Contains(runtime), "container.runtime", $"container.runtime must be one of {string.Join(", ", Runtimes)}.");
        var launch = ProfileLaunchRules.Container(container, runtime);

        var version = d.Version?.Trim();
        Require(version is null || version.Length is > 0 and <= 20, "version", "version must be 1-20 characters, e.g. \"1.0\".");
        var capabilities = Capabilities(d.Capabilities, category);
        var embedding = capabilities.Contains(ModelCapabilities.Embeddings);
        Require(!embedding || d.Dimensions is not null, "dimensions", "an embedding profile states the length of its vectors: dimensions, e.g. 1024.");
        Require(d.Dimensions is null || (embedding && d.Dimensions is >= 1 and <= 16_384), "dimensions",
            "dimensions (1-16384) belongs to embedding profiles (category embedding or capability embeddings).");
        Require(runtime != ModelRuntimes.Tei || embedding, "container.runtime", "tei (text-embeddings-inference) serves embedding models only; use category: embedding.");
        Require(!(embedding && runtime == ModelRuntimes.Tgi), "container.runtime",
            "tgi does not serve embeddings; run embedding models with tei (text-embeddings-router), vllm or llama_cpp.");

        var resources = d.Resources ?? throw Missing("resources");
        var gpuCount = resources.GpuCount ?? 1;
        Require(gpuCount is >= 1 and <= 16, "resources.gpu_count", "resources.gpu_count must be between 1 and 16.");
        var min = Size(resources.GpuMemoryMin, "resources.gpu_memory_min", required: true);
        var recommended = Size(resources.GpuMemoryRecommended, "resources.gpu_memory_recommended", required: false) ?? min;
        Require(recommended >= min, "resources.gpu_memory_recommended", "resources.gpu_memory_recommended cannot be less than resources.gpu_memory_min.");
        var cpuCores = resources.CpuCores ?? 0;
        Require(cpuCores is >= 0 and <= 1024, "resources.cpu_cores", "resources.cpu_cores must be between 0 and 1024.");
        var ram = Size(resources.Ram, "resources.ram", required: false) ?? 0;

        var performance = d.Performance ?? new ProfileDocument.PerformanceDocument();
        var concurrent = performance.MaxConcurrentRequests ?? 8;
        Require(concurrent is >= 1 and <= 4096, "performance.max_concurrent_requests", "performance.max_concurrent_requests must be between 1 and 4096.");
        var batch = performance.MaxBatchSize ?? concurrent;
        Require(batch is >= 1 and <= 4096, "performance.max_batch_size", "performance.max_batch_size must be between 1 and 4096.");
        var queue = performance.MaxQueue ?? concurrent;
        Require(queue is >= 0 and <= 100_000, "performance.max_queue", "performance.max_queue must be between 0 and 100000.");
        Require(performance.WaitingServedRatio is null or (>= 0 and <= 100), "performance.waiting_served_ratio", "performance.waiting_served_ratio must be between 0 and 100.");
        Require(performance.MaxBatchPrefillTokens is null or (>= 1 and <= 10_000_000), "performance.max_batch_prefill_tokens", "performance.max_batch_prefill_tokens must be between 1 and 10000000.");
        Require(performance.MaxBatchTotalTokens is null or (>= 1 and <= 100_000_000), "performance.max_batch_total_tokens", "performance.max_batch_total_tokens must be between 1 and 100000000.");

        var scaling = Scaling(d.Scaling ?? new ProfileDocument.ScalingDocument(), concurrent);
        var parameters = (d.Parameters ?? []).ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
        ModelParameterNames.Validate(parameters, runtime == ModelRuntimes.Simulator);
        var blocks = ProfileLaunchRules.Blocks(d);
        var warnings = ProfileLaunchRules.Warnings(runtime, parameters);

        var tags = (d.Tags ?? []).Select(t => t?.Trim() ?? "").ToList();
        Require(tags.All(t => t.Length is > 0 and <= 50), "tags", "each tag must be 1-50 characters.");
        Require((d.Description?.Length ?? 0) <= 2000, "description", "description must be at most 2000 characters.");
        Require((d.Notes?.Length ?? 0) <= 8000, "notes", "notes must be at most 8000 characters.");

        var pricing = d.Pricing is { } p ? new ModelPricing(p.InputPerMillionUsd ?? 0, p.OutputPerMillionUsd ?? 0) : null;
        Require(pricing is null || (pricing.InputPerMillionUsd >= 0 && pricing.OutputPerMillionUsd >= 0), "pricing", "pricing must not be negative.");

        return new ModelProfile
        {
            Name = name,
            Description = d.Description?.Trim(),
            Category = category,
            Source = new ModelSource(sourceType, modelId, source.Revision?.Trim()),
            Container = launch,
            Parameters = parameters,
            Resources = new ModelResources(min!.Value, recommended!.Value, gpuCount, cpuCores, ram),
            Performance = new ModelPerformance(batch, concurrent, queue, performance.WaitingServedRatio, performance.MaxBatchPrefillTokens, performance.MaxBatchTotalTokens),
            Tags = tags,
            Notes = d.Notes?.Trim(),
            Benchmarks = [.. (d.Benchmarks ?? []).Select(b => new ModelBenchmark(b.Key, b.Value ?? ""))],
            Scaling = scaling,
            Origin = origin,
            Pricing = pricing,
            Version = version,
            Capabilities = capabilities,
            Dimensions = d.Dimensions,
            RuntimeBlocks = blocks,
            Warnings = warnings,
        };
    }

    private static IReadOnlyList<string> Capabilities(List<string>? written, string category)
    {
        if (written is null)
        {
            return ModelCapabilities.DefaultsFor(category);
        }

        var capabilities = written.Select(c => c?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
        Require(capabilities.Count is > 0 and <= 32 && capabilities.All(ProfileNames.IsValid), "capabilities",
            "capabilities must list 1-32 short lower-case words such as text, vision, tools or embeddings.");
        return capabilities;
    }

    private static ModelScaling Scaling(ProfileDocument.ScalingDocument s, int concurrent)
    {
        var min = s.MinReplicas ?? 0;
        var max = s.MaxReplicas ?? Math.Max(1, min);
        Require(min is >= 0 and <= 1000, "scaling.min_replicas", "scaling.min_replicas must be between 0 and 1000.");
        Require(max is >= 1 and <= 1000 && max >= min, "scaling.max_replicas", "scaling.max_replicas must be between 1 and 1000 and at least scaling.min_replicas.");
        var target = s.TargetInFlightPerReplica ?? concurrent;
        Require(target >= 1, "scaling.target_in_flight_per_replica", "scaling.target_in_flight_per_replica must be at least 1.");
        Require(s.TargetTtftMs is null or >= 1, "scaling.target_ttft_ms", "scaling.target_ttft_ms must be at least 1.");
        Require(s.ScaleToZeroAfterSeconds is null or >= 1, "scaling.scale_to_zero_after_seconds", "scaling.scale_to_zero_after_seconds must be at least 1.");
        var cooldown = s.CooldownSeconds ?? 30;
        Require(cooldown is >= 0 and <= 86_400, "scaling.cooldown_seconds", "scaling.cooldown_seconds must be between 0 and 86400.");
        var routing = (s.Routing ?? RoutingPolicies.LeastLoaded).Trim().ToLowerInvariant();
        Require(RoutingPolicies.All.Contains(routing), "scaling.routing", $"scaling.routing must be one of {string.Join(", ", RoutingPolicies.All)}.");
        return new ModelScaling
        {
            MinReplicas = min,
            MaxReplicas = max,
            TargetInFlightPerReplica = target,
            TargetTtftMs = s.TargetTtftMs,
            ScaleToZeroAfterSeconds = s.ScaleToZeroAfterSeconds,
            CooldownSeconds = cooldown,
            Routing = routing,
        };
    }

    private static long? Size(string? text, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Require(!required, field, $"{field} is required (e.g. 16GB).");
            return null;
        }

        Require(MemorySize.TryParseMiB(text, out var mib), field, $"{field} must be a size such as 16GB or 512MiB, not '{text}'.");
        Require(mib <= 16L * 1024 * 1024, field, $"{field} must be at most 16TB.");
        return mib;
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Missing(field) : value.Trim();

    private static AgentGridException Missing(string field) => AgentGridException.Validation(field, $"{field} is required.");

    internal static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(field, message);
        }
    }
}
