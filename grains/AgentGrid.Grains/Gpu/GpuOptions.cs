namespace AgentGrid.Grains.Gpu;

/// <summary>This silo's GPU node (<c>AgentGrid:Gpu</c>).</summary>
public sealed class GpuOptions
{
    public const string SectionName = "AgentGrid:Gpu";

    /// <summary>The node's id; one silo hosts one node. Default: the machine name, lower-cased.</summary>
    public string NodeId { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>One of <see cref="GpuDiscoveryModes"/>. Default: auto.</summary>
    public string Discovery { get; set; } = GpuDiscoveryModes.Auto;

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

    /// <summary>
    /// What a graceful shutdown of this silo does with its workers once their requests are done (new requests go to
    /// other workers from the start): <c>release</c> stops them and frees their VRAM so the pools replace them on other
    /// nodes (a cluster); <c>resume</c> leaves them to load again when the silo starts again (the embedded default,
    /// whose one node comes back). Default: release.
    /// </summary>
    public string OnShutdown { get; set; } = ShutdownActions.Release;

    /// <summary>
    /// How long a graceful shutdown waits for the requests its workers are serving (the host's shutdown timeout is raised
    /// to this plus 30 s). Keep it 30 s or more below Kubernetes' <c>terminationGracePeriodSeconds</c>. Default: 60 s.
    /// </summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public static class ShutdownActions
{
    public const string Release = "release";
    public const string Resume = "resume";
}

public sealed class DeclaredGpu
{
    public string Name { get; set; } = "Simulated GPU";

    /// <summary>Memory as a size, e.g. <c>80GB</c>.</summary>
    public string Memory { get; set; } = "80GB";

    /// <summary>How many such GPUs. Default: 1.</summary>
    public int Count { get; set; } = 1;
}

/// <summary>How a node finds its GPUs (<c>AgentGrid:Gpu:Discovery</c>), and which way it did.</summary>
public static class GpuDiscoveryModes
{
    /// <summary>nvidia-smi when it answers, else the declared GPUs.</summary>
    public const string Auto = "auto";

    /// <summary>nvidia-smi, and the start fails if it does not answer.</summary>
    public const string NvidiaSmi = "nvidia-smi";

    /// <summary>The GPUs listed in <c>AgentGrid:Gpu:Declared</c> (simulated GPUs for development and tests).</summary>
    public const string Declared = "declared";

    /// <summary>A CPU-only silo: it hosts no workers.</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Auto, NvidiaSmi, Declared, None];
}
