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

    /// <summary>
    /// The executable of each runtime (<c>AgentGrid:Gpu:Runtimes:vllm:Command</c>, with fixed leading <c>Arguments</c>). Default:
    /// the runtime's own command on the PATH (<c>vllm</c>, <c>text-generation-launcher</c>, <c>text-embeddings-router</c>,
    /// <c>llama-server</c>, <c>python3 -m sglang.launch_server</c>, <c>ollama</c>); the simulator runs the silo's own executable.
    /// </summary>
    public Dictionary<string, RuntimeCommandOptions> Runtimes { get; set; } = [];

    /// <summary>The address launched model servers listen on. Use <c>0.0.0.0</c> where front doors on other machines call them. Default: 127.0.0.1.</summary>
    public string ServerBindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Ports for launched servers, as <c>first-last</c> (each server takes one, TGI and TEI two more for metrics and shards), so a
    /// firewall or network policy can open exactly them. Default: none, the kernel's ephemeral range.
    /// </summary>
    public string? ServerPortRange { get; set; }

    /// <summary>The host front doors use to reach this node's servers. Default: the bind address, or the silo's own address when binding all.</summary>
    public string? ServerAdvertiseAddress { get; set; }

    /// <summary>The node's own files: pid files of the servers it launched (to stop them after a crash of the silo). Default: <c>~/.local/share/agentgrid/node</c>.</summary>
    public string StateDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "agentgrid", "node");

    /// <summary>Where runtimes download weights (<c>HF_HOME</c>, Ollama's models). Default: <c>models</c> in <see cref="StateDirectory"/>.</summary>
    public string? ModelCache { get; set; }

    /// <summary>A file holding the Hugging Face token given to servers as <c>HF_TOKEN</c> (a mounted secret). Default: the silo's own <c>HF_TOKEN</c>, if set.</summary>
    public string? HfTokenFile { get; set; }

    /// <summary>How long a stopping server has between SIGTERM and SIGKILL of its process group. Default: 30 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A server that crashes this many times within <see cref="CrashWindow"/> fails its worker (its VRAM is released). Default: 3.</summary>
    public int MaxCrashes { get; set; } = 3;

    /// <summary>Default: 10 minutes.</summary>
    public TimeSpan CrashWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before the first restart; it doubles with each crash in the window, up to 5 minutes. Default: 2 s.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether profiles created through the API may carry a <c>custom</c> command, <c>extra_args</c> or <c>container.env</c>. Those run
    /// code of the profile's author on every GPU node, so an admin key becomes a shell on the nodes. Default: false (only profile
    /// files and configuration may).
    /// </summary>
    public bool AllowApiCommands { get; set; }

    /// <summary>CPU cores this node offers to model servers; a declared node may declare more than the machine has. Default: the machine's.</summary>
    public double? CpuCores { get; set; }

    /// <summary>RAM this node offers to model servers, as a size (e.g. <c>256GB</c>). Default: the memory the process may use.</summary>
    public string? Ram { get; set; }

    public string ModelCacheDirectory => ModelCache ?? Path.Combine(StateDirectory, "models");
}

/// <summary>How a runtime's server is started on this node.</summary>
public sealed class RuntimeCommandOptions
{
    /// <summary>The executable: a path, or a name on the PATH.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments put before the runtime's own (e.g. the script of an interpreter).</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>The simulator only: run it inside the silo's process instead of as a server process (tests that inject faults). Default: false.</summary>
    public bool InProcess { get; set; }
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
