namespace AgentGrid.Contracts.Workers;

/// <summary>The lifecycle of an inference worker: placing → loading → ready → draining → stopped, or failed.</summary>
public static class WorkerStates
{
    public const string Placing = "placing";
    public const string Loading = "loading";
    public const string Ready = "ready";
    public const string Draining = "draining";
    public const string Stopped = "stopped";
    public const string Failed = "failed";

    public static bool IsFinal(string state) => state is Stopped or Failed;

    /// <summary>States that hold VRAM.</summary>
    public static bool HoldsGpu(string state) => state is Placing or Loading or Ready or Draining;
}
