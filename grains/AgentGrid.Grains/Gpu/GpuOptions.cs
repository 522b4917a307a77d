namespace AgentGrid.Grains.Gpu;

/// <summary>This silo's GPU node (<c>AgentGrid:Gpu</c>).</summary>
public sealed class GpuOptions
{
    public const string SectionName = "AgentGrid:Gpu";

    /// <summary>The node's id; one silo hosts one node. Default: the machine name, lower-cased.</summary>
    public string NodeId { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// <c>auto</c> (nvidia-smi when it answers, else <see cref="Declared"/>), <c>nvidia-smi</c> (fail if it does not),
    /// <c>declared</c>, or <c>none</c> (a CPU-only silo: it hosts no workers). Default: auto.
    /// </summary>
    public string Discovery { get; set; } = "auto";

    /// <summary>GPUs to assume when not discovering: simulated GPUs for development and tests.</summary>
    public List<DeclaredGpu> Declared { get; set; } = [];

    /// <summary>The nvidia-smi executable. Default: <c>nvidia-smi</c> on the PATH.</summary>
    public string NvidiaSmiPath { get; set; } = "nvidia-smi";

    /// <summary>How often the node re-reads its GPUs and reports them. Default: 15 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Model servers run outside AgentGrid, by profile name: a worker for that profile attaches to the
    /// server at this OpenAI-compatible base URL instead of starting one (vLLM, TGI, Ollama on this node).
    /// </summary>
    public Dictionary<string, string> Servers { get; set; } = [];

    /// <summary>How often a worker checks its model server. Default: 5 s.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed health checks after which a worker is failed. Default: 2.</summary>
    public int FailedChecksBeforeFailure { get; set; } = 2;
}

public sealed class DeclaredGpu
{
    public string Name { get; set; } = "Simulated GPU";

    /// <summary>Memory as a size, e.g. <c>80GB</c>.</summary>
    public string Memory { get; set; } = "80GB";

    /// <summary>How many such GPUs. Default: 1.</summary>
    public int Count { get; set; } = 1;
}
