namespace AgentGrid.Inference.Simulator;

/// <summary>How the inference simulator behaves; every latency is per request.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Address to listen on. Default: 127.0.0.1 (loopback only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free one. Default: 0.</summary>
    public int Port { get; set; }

    /// <summary>Model ids the simulator serves; others get 404. Default: <c>agentgrid-simulator</c>.</summary>
    public List<string> Models { get; set; } = [DefaultModelId];

    /// <summary>Delay before the first token. Default: 100 ms.</summary>
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Delay between tokens after the first. Default: 15 ms.</summary>
    public TimeSpan InterTokenLatency { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Tokens in each reply, unless the request's max_tokens is lower. Default: 40.</summary>
    public int TokensPerReply { get; set; } = 40;

    /// <summary>Requests generated at once; more wait in arrival order. Default: 64.</summary>
    public int MaxConcurrency { get; set; } = 64;

    public const string DefaultModelId = "agentgrid-simulator";
}
