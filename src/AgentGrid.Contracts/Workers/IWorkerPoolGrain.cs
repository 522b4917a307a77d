using Orleans.Concurrency;

namespace AgentGrid.Contracts.Workers;

/// <summary>
/// The workers of one model (key: profile name): routing and admission for every request, and the
/// autoscaler. Acquire and release interleave and touch only memory, so the pool is a cheap hop on
/// the request path; management calls (start, stop, swap, scaling) are serialised.
/// </summary>
// The alias is its wire name from before the rename, so silos and front doors of both versions understand each other.
[Alias("agentgrid.IModelPoolGrain")]
public interface IWorkerPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// A worker for one request: <c>capacity_exhausted</c> (with a retry-after) when every queue is full,
    /// <c>no_ready_worker</c> when none became ready in time.
    /// </summary>
    [Alias("acquire"), AlwaysInterleave] Task<WorkerLease> AcquireAsync(RouteRequest request);

    [Alias("release"), AlwaysInterleave] Task ReleaseAsync(long leaseId, LeaseOutcome outcome);

    [Alias("start-worker")] Task<WorkerInfo> StartWorkerAsync(string? nodeId, string reason);

    /// <summary>Drains the worker (no new requests), then stops it once its requests are done.</summary>
    [Alias("stop-worker")] Task<WorkerInfo> StopWorkerAsync(string workerId);

    /// <summary>Drains the worker, then reloads it with another profile on the same node.</summary>
    [Alias("swap-worker")] Task<WorkerInfo> SwapWorkerAsync(string workerId, string profile);

    /// <summary>
    /// Its node is shutting down: the worker gets no new requests; once its requests are done it is stopped and its VRAM
    /// freed (<paramref name="release"/>, so the autoscaler replaces it on other nodes), or left to load again when its
    /// node starts again. <see cref="WaitDrainedAsync"/> tells when.
    /// </summary>
    [Alias("retire-worker")] Task RetireWorkerAsync(string workerId, bool release, string reason);

    /// <summary>
    /// Completes once a draining worker has no request left (and is stopped, if that was asked). It may wait as long as
    /// the longest reply, so it is exempt from the grain call timeout; the caller bounds the wait.
    /// </summary>
    [Alias("wait-drained"), AlwaysInterleave, ResponseTimeout("01:00:00")] Task WaitDrainedAsync(string workerId);

    /// <summary>A worker reports its state (also one it gained through a swap).</summary>
    [Alias("worker-changed"), AlwaysInterleave] Task WorkerChangedAsync(WorkerInfo worker);

    [Alias("status"), AlwaysInterleave] Task<PoolStatus> GetStatusAsync();

    /// <summary>
    /// Holds the pool at <paramref name="replicas"/> workers (stored with the profile, so it survives restarts) until called with null,
    /// when the autoscaler decides again from the profile's scaling. Returns the pool's status.
    /// </summary>
    [Alias("scale")] Task<PoolStatus> ScaleAsync(int? replicas);

    /// <summary>Activates the pool so its minimum replicas and autoscaler run; called at silo start.</summary>
    [Alias("ensure")] Task EnsureRunningAsync();
}
