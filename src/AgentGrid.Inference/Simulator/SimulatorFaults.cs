namespace AgentGrid.Inference.Simulator;

/// <summary>Failures the simulator injects, to test how the grid copes with a sick model server.</summary>
public sealed class SimulatorFaults
{
    /// <summary>Answer every completion with 503, as an overloaded or crashed-but-listening server does. Default: false.</summary>
    public bool Refuse { get; set; }

    /// <summary>Multiplies every latency (a slow or throttled GPU). Default: 1.</summary>
    public double SlowFactor { get; set; } = 1;

    /// <summary>Cut the connection after this many streamed tokens; null never. Default: null.</summary>
    public int? DropAfterTokens { get; set; }

    public IEnumerable<string> Check()
    {
        if (SlowFactor is < 1 or > 1000 || double.IsNaN(SlowFactor))
        {
            yield return "SlowFactor must be between 1 and 1000.";
        }

        if (DropAfterTokens is < 0)
        {
            yield return "DropAfterTokens cannot be negative.";
        }
    }

    public SimulatorFaults Copy() => new() { Refuse = Refuse, SlowFactor = SlowFactor, DropAfterTokens = DropAfterTokens };
}
