using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>What a draining worker becomes once its requests are done.</summary>
internal abstract record DrainPlan
{
    /// <summary>Stop it and free its GPUs.</summary>
    public static readonly DrainPlan Stop = new StopPlan();

    /// <summary>Keep it: its node shuts down with it draining, and it loads again when the node comes back.</summary>
    public static readonly DrainPlan Hold = new HoldPlan();

    /// <summary>Load another model profile in its place.</summary>
    public static DrainPlan SwapTo(ModelProfile profile) => new SwapPlan(profile);

    /// <summary>The swap was sent: nothing more to do until the worker reports its new model and leaves the pool.</summary>
    public static readonly DrainPlan Swapped = new SwappedPlan();

    private sealed record StopPlan : DrainPlan;

    private sealed record HoldPlan : DrainPlan;

    private sealed record SwappedPlan : DrainPlan;

    public sealed record SwapPlan(ModelProfile Profile) : DrainPlan;
}
