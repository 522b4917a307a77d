namespace AgentGrid.Inference.Profiles;

/// <summary>A profile as written in YAML (or JSON): snake_case fields, sizes as text such as <c>16GB</c>.</summary>
internal sealed class ProfileDocument
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Category { get; set; }
    public SourceDocument? Source { get; set; }
    public ContainerDocument? Container { get; set; }
    public Dictionary<string, string?>? Parameters { get; set; }
    public ResourcesDocument? Resources { get; set; }
    public PerformanceDocument? Performance { get; set; }
    public List<string>? Tags { get; set; }
    public string? Notes { get; set; }
    public Dictionary<string, string?>? Benchmarks { get; set; }
    public ScalingDocument? Scaling { get; set; }
    public PricingDocument? Pricing { get; set; }
    public string? Version { get; set; }
    public List<string>? Capabilities { get; set; }
    public int? Dimensions { get; set; }

    // Runtime blocks: typed by RuntimeBlockSchema (YAML scalars arrive as text, extra_args as a list).
    public Dictionary<string, object?>? Vllm { get; set; }
    public Dictionary<string, object?>? Tgi { get; set; }
    public Dictionary<string, object?>? Tei { get; set; }
    public Dictionary<string, object?>? LlamaCpp { get; set; }
    public Dictionary<string, object?>? Sglang { get; set; }
    public Dictionary<string, object?>? Ollama { get; set; }

    internal sealed class PricingDocument
    {
        public decimal? InputPerMillionUsd { get; set; }
        public decimal? OutputPerMillionUsd { get; set; }
    }

    internal sealed class SourceDocument
    {
        public string? Type { get; set; }
        public string? ModelId { get; set; }
        public string? Revision { get; set; }
    }

    internal sealed class ContainerDocument
    {
        public string? Runtime { get; set; }
        public string? Image { get; set; }
        public List<string>? Command { get; set; }
        public Dictionary<string, string?>? Env { get; set; }
        public int? LoadTimeoutSeconds { get; set; }
    }

    internal sealed class ResourcesDocument
    {
        public string? GpuMemoryMin { get; set; }
        public string? GpuMemoryRecommended { get; set; }
        public int? GpuCount { get; set; }
        public double? CpuCores { get; set; }
        public string? Ram { get; set; }
    }

    internal sealed class PerformanceDocument
    {
        public int? MaxBatchSize { get; set; }
        public int? MaxConcurrentRequests { get; set; }
        public int? MaxQueue { get; set; }
        public double? WaitingServedRatio { get; set; }
        public int? MaxBatchPrefillTokens { get; set; }
        public int? MaxBatchTotalTokens { get; set; }
    }

    internal sealed class ScalingDocument
    {
        public int? MinReplicas { get; set; }
        public int? MaxReplicas { get; set; }
        public int? TargetInFlightPerReplica { get; set; }
        public int? TargetTtftMs { get; set; }
        public int? ScaleToZeroAfterSeconds { get; set; }
        public int? CooldownSeconds { get; set; }
        public string? Routing { get; set; }
    }
}
