using Orleans.Concurrency;

using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Contracts.Workers;

/// <summary>
/// One loaded model on one GPU node, key <c>w-{id}@{node}</c>: activated on that node's silo, it starts
/// (or attaches to) the model server, checks its health on a timer and tells its pool every state change.
/// </summary>
[Alias("agentgrid.IInferenceWorkerGrain")]
public interface IInferenceWorkerGrain : IGrainWithStringKey
{
    /// <summary>Loads <paramref name="profile"/> on the reserved GPUs; returns at once in <c>loading</c>.</summary>
    [Alias("start")] Task<WorkerInfo> StartAsync(ModelProfile profile, GpuReservation reservation);

    /// <summary>The worker's state; reactivates a worker that should be running.</summary>
    [Alias("get")] Task<WorkerInfo?> GetAsync();

    /// <summary>Marks the worker draining: its pool sends it nothing new. Then stop or swap it.</summary>
    [Alias("drain")] Task<WorkerInfo> DrainAsync(string reason);

    /// <summary>Stops the model server and frees the VRAM. The pool drains the worker first.</summary>
    [Alias("stop")] Task<WorkerInfo> StopAsync(string reason);

    /// <summary>Unloads the current model and loads <paramref name="profile"/> on the same node.</summary>
    [Alias("swap")] Task<WorkerInfo> SwapAsync(ModelProfile profile);

    /// <summary>Tells its pool its current state (a pool that was reactivated asks every reserved worker).</summary>
    [Alias("announce"), OneWay] Task AnnounceAsync();

    /// <summary>The last <paramref name="lines"/> lines its model server wrote (secrets masked); null when its node never ran one.</summary>
    [Alias("logs")] Task<IReadOnlyList<string>?> LogsAsync(int lines);

    /// <summary>Its node's latest reading of the GPU memory its server uses, per GPU (null: none seen); above the reservation it raises an event.</summary>
    [Alias("observe-vram"), OneWay] Task ObserveVramAsync(long? usedMiBPerGpu);

    /// <summary>Checks the model server now (the pool asks when a request could not reach it).</summary>
    [Alias("check"), OneWay] Task CheckHealthAsync();
}
