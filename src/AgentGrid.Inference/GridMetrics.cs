using System.Diagnostics.Metrics;

namespace AgentGrid.Inference;

/// <summary>
/// What the grid measures where it happens (grains, and model calls in whichever process makes them), on the
/// <c>AgentGrid.Grains</c> meter and activity source: the names operators' dashboards already use.
/// </summary>
public static class GridMetrics
{
    public static readonly Meter Meter = new("AgentGrid.Grains");

    /// <summary>Spans of model calls, children of the grain call that made them.</summary>
    public static readonly System.Diagnostics.ActivitySource Traces = new("AgentGrid.Grains");

    public static readonly Counter<long> InputTokens = Meter.CreateCounter<long>("agentgrid.tokens.input", "{token}", "Prompt tokens sent to models.");
    public static readonly Counter<long> OutputTokens = Meter.CreateCounter<long>("agentgrid.tokens.output", "{token}", "Tokens models generated.");
    public static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram<double>("agentgrid.ttft", "ms", "Time to first token of model calls.");
    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("agentgrid.requests.refused", "{request}", "Requests refused because every worker was full.");

    /// <summary>Each time a worker's server is seen using more GPU memory than its reservation (nvidia-smi's per-process figures).</summary>
    public static readonly Counter<long> VramOverReservation = Meter.CreateCounter<long>("agentgrid.worker.vram_over_reservation", "{event}",
        "Times a worker's model server was seen using more GPU memory than it reserved.");
}
