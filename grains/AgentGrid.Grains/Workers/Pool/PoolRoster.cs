using AgentGrid.Inference.Profiles;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Routing;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>
/// A pool's workers and the leases it handed out on them: who is routable, who is active, what each carries, and the
/// last workers that ended (for <c>GET /api/workers</c>).
/// </summary>
internal sealed class PoolRoster(string model)
{
    private const int Remembered = 20;
    private readonly Dictionary<string, PoolWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string WorkerId, DateTimeOffset At)> _leases = [];
    private readonly Queue<WorkerInfo> _recent = new();
    // Leases outlive an activation (a caller releases after the pool was reactivated): each activation numbers from its
    // own random start, so an old lease id never names a new lease.
    private long _nextLease = System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) * (1L << 31);

    public IEnumerable<PoolWorker> Workers => _workers.Values;

    public long Admitted { get; private set; }
    public long Rejected { get; private set; }
    public long AffinityHits { get; private set; }

    /// <summary>Workers that count towards the replicas: neither draining nor ended.</summary>
    public int Active => _workers.Values.Count(w => w.AfterDrain is null && !WorkerStates.IsFinal(w.Info.State));

    public int Ready => _workers.Values.Count(w => w.Info.State == WorkerStates.Ready);

    public bool AnyStarting => _workers.Values.Any(w => w.Info.State is WorkerStates.Placing or WorkerStates.Loading);

    public bool TryGet(string workerId, out PoolWorker worker) => _workers.TryGetValue(workerId, out worker!);

    public PoolWorker Require(string workerId) => _workers.TryGetValue(workerId, out var worker)
        ? worker
        : throw new AgentGridException(ErrorCodes.WorkerStateConflict, $"Worker '{workerId}' is not running in pool '{model}' (it has stopped or failed).");

    public PoolWorker Add(WorkerInfo info)
    {
        if (!_workers.TryGetValue(info.WorkerId, out var worker))
        {
            _workers[info.WorkerId] = worker = new PoolWorker(info);
        }

        return worker;
    }

    public bool Remove(string workerId, out PoolWorker worker) => _workers.Remove(workerId, out worker!);

    public List<PoolWorker> Routable => [.. _workers.Values.Where(w => w.Routable)];

    public List<RoutingCandidate> Candidates(IEnumerable<PoolWorker> routable, RouteRequest request, ModelProfile profile) =>
        [.. routable.Where(w => !request.ExcludeWorkers.Contains(w.Info.WorkerId))
            .Select(w => new RoutingCandidate(w.Info.WorkerId, w.InFlight, profile.Performance.MaxConcurrentRequests, profile.Performance.MaxQueue))];

    public WorkerLease Lease(RoutingChoice choice, DateTimeOffset now, ModelProfile profile)
    {
        var worker = _workers[choice.WorkerId];
        var id = ++_nextLease;
        _leases[id] = (choice.WorkerId, now);
        worker.InFlight++;
        Admitted++;
        if (choice.AffinityHit)
        {
            AffinityHits++;
        }

        return new WorkerLease(id, choice.WorkerId, worker.Info.Endpoint!, worker.Info.ServedModel ?? model, choice.AffinityHit, worker.Info.ApiKey,
            ModelParameterNames.Number(profile.Parameters, ModelParameterNames.Temperature), ModelParameterNames.Number(profile.Parameters, ModelParameterNames.TopP),
            worker.Info.Runtime);
    }

    /// <summary>Ends a lease and records how it went on its worker; null when the lease or its worker is gone.</summary>
    public PoolWorker? Release(long leaseId, LeaseOutcome outcome, DateTimeOffset now)
    {
        if (!_leases.Remove(leaseId, out var lease) || !_workers.TryGetValue(lease.WorkerId, out var worker))
        {
            return null;
        }

        worker.InFlight--;
        worker.Served++;
        worker.Record(outcome, (now - lease.At).TotalMilliseconds);
        return worker;
    }

    public List<long> ExpiredLeases(DateTimeOffset now, TimeSpan timeout) => [.. _leases.Where(l => now - l.Value.At > timeout).Select(l => l.Key)];

    /// <summary>A request refused for want of a free slot, with the wait that usually frees one.</summary>
    public AgentGridException Refuse(ModelProfile profile)
    {
        Rejected++;
        GridMetrics.Refused.Add(1, new KeyValuePair<string, object?>("model", model));
        // A slot frees when a running request ends: about one average request time away.
        var typical = _workers.Values.Where(w => w.Routable).Select(w => w.DurationMs).OfType<double>().DefaultIfEmpty(1000).Average();
        var retryAfter = (int)Math.Clamp(Math.Ceiling(typical / 1000), 1, 60);
        var slots = profile.Performance.MaxConcurrentRequests + profile.Performance.MaxQueue;
        return new AgentGridException(ErrorCodes.CapacityExhausted,
            $"Every worker of '{model}' is full ({_workers.Values.Count(w => w.Routable)} ready, {slots} requests each counting its queue); retry after {retryAfter} s.")
        { RetryAfterSeconds = retryAfter };
    }

    public void Remember(WorkerInfo info)
    {
        _recent.Enqueue(info);
        while (_recent.Count > Remembered)
        {
            _recent.Dequeue();
        }
    }

    public IReadOnlyList<WorkerView> Views(int maxConcurrent) =>
        [.. _workers.Values.OrderBy(w => w.Info.WorkerId, StringComparer.Ordinal).Select(w => new WorkerView(w.Info, w.Load(maxConcurrent)))
            .Concat(_recent.Select(r => new WorkerView(r, null)))];
}
