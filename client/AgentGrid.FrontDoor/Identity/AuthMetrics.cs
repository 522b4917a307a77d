using System.Diagnostics.Metrics;
using AgentGrid.FrontDoor.Operations;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Authentication's counters on the front door's meter (<see cref="GridGauges.MeterName"/>), and the key cache's
/// totals for whoever needs to read them in process (tests).
/// </summary>
public sealed class AuthMetrics
{
    private static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
    private static readonly KeyValuePair<string, object?> Miss = new("result", "miss");
    private readonly Counter<long> _keyCache;
    private readonly Counter<long> _refused;
    private long _hits;
    private long _misses;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GridGauges.MeterName);
        _keyCache = meter.CreateCounter<long>("agentgrid.auth.key_cache", "{lookup}",
            "Key lookups answered from the front door's cache (result=hit) or by the key's grain (result=miss).");
        _refused = meter.CreateCounter<long>("agentgrid.auth.refused", "{request}",
            "Requests refused for their credential: reason=invalid (401), or throttled (429: their address failed too often).");
    }

    /// <summary>Lookups answered from the cache.</summary>
    public long CacheHits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that called a key's grain.</summary>
    public long CacheMisses => Interlocked.Read(ref _misses);

    public void CacheHit()
    {
        Interlocked.Increment(ref _hits);
        _keyCache.Add(1, Hit);
    }

    public void CacheMiss()
    {
        Interlocked.Increment(ref _misses);
        _keyCache.Add(1, Miss);
    }

    public void Refused(bool throttled) => _refused.Add(1, new KeyValuePair<string, object?>("reason", throttled ? "throttled" : "invalid"));
}
