namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// What one folder of tool data holds, as this silo knows it: one scan, then this silo's own changes, then a scan again
/// at the first read once the count is older than <c>refresh</c>. Other silos writing to the same volume are seen at that
/// rescan, so the count can lag what they wrote for at most one refresh; writes of this silo made while a scan runs are
/// added on top of its result when they grow the folder (the scan may have seen them too: counting them twice only
/// refuses early) and left out when they shrink it, so the count errs on the side of refusing.
/// </summary>
internal sealed class UsageCounter(string folder, TimeSpan refresh, TimeProvider time)
{
    private readonly SemaphoreSlim _scan = new(1, 1);
    private readonly Lock _lock = new();
    private StorageUsage _usage;
    private StorageUsage _duringScan;
    private bool _scanning;
    private DateTimeOffset? _scannedAt;

    public async ValueTask<StorageUsage> CurrentAsync(CancellationToken ct)
    {
        if (TryFresh(out var usage))
        {
            return usage;
        }

        await _scan.WaitAsync(ct);
        try
        {
            if (TryFresh(out usage))
            {
                return usage;
            }

            var startedAt = time.GetUtcNow();
            lock (_lock)
            {
                (_scanning, _duringScan) = (true, default);
            }

            try
            {
                // Off the grain's thread: the whole root can hold many thousands of entries on a network volume.
                var scanned = await Task.Run(() => SandboxUsage.Measure(folder), ct);
                lock (_lock)
                {
                    (_usage, _scannedAt) = (scanned + _duringScan, startedAt);
                    return _usage;
                }
            }
            finally
            {
                lock (_lock)
                {
                    _scanning = false;
                }
            }
        }
        finally
        {
            _scan.Release();
        }
    }

    /// <summary>Counts a change this silo made.</summary>
    public void Add(StorageUsage change)
    {
        lock (_lock)
        {
            _usage += change;
            if (_scanning)
            {
                _duringScan += change.Growth;
            }
        }
    }

    /// <summary>Makes the next read scan: after a write that failed half-way, what it left is not known.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _scannedAt = null;
        }
    }

    private bool TryFresh(out StorageUsage usage)
    {
        lock (_lock)
        {
            usage = _usage;
            return _scannedAt is { } at && time.GetUtcNow() - at < refresh;
        }
    }
}
