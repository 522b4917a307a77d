using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// One tenant's tool data: <c>files/</c> (the files tool's sandbox), <c>sqlite/tenant.db</c> and <c>staging/</c> (where a
/// file is written before it replaces its target in one rename). Writers take <see cref="WriteLockAsync"/>, check with
/// <see cref="ReserveAsync"/> or <see cref="RoomAsync"/>, write, then <see cref="Record"/> what changed.
/// </summary>
public sealed class TenantSpace
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly ToolStorage _storage;
    private readonly UsageCounter _usage;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private volatile bool _prepared;

    internal TenantSpace(ToolStorage storage, string folder, TimeProvider time)
    {
        (_storage, Folder) = (storage, folder);
        _usage = new UsageCounter(folder, storage.Options.TenantUsageRefresh, time);
    }

    /// <summary>The tenant's folder on the host; never named in results or errors.</summary>
    public string Folder { get; }

    public string FilesFolder => Path.Combine(Folder, "files");

    public string DatabasePath => Path.Combine(Folder, "sqlite", "tenant.db");

    internal string StagingFolder => Path.Combine(Folder, "staging");

    /// <summary>Makes the tenant's folders (owner-only, like the embedded data folder) the first time this silo uses them.</summary>
    public void Prepare()
    {
        if (_prepared)
        {
            return;
        }

        // The tenant's own folder first: CreateDirectory gives the mode only to the last folder it makes.
        foreach (var folder in new[] { Folder, FilesFolder, Path.GetDirectoryName(DatabasePath)!, StagingFolder })
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerOnly);
            }
        }

        StagedFile.Sweep(StagingFolder, TimeSpan.FromMinutes(15));
        _prepared = true;
    }

    /// <summary>
    /// Serialises this silo's writes of the tenant (both tools), so that checking the room and writing are one step.
    /// </summary>
    public async Task<IDisposable> WriteLockAsync(CancellationToken ct)
    {
        Prepare();
        await _writes.WaitAsync(ct);
        return new Release(_writes);
    }

    /// <summary>What can still be added: the least the tenant's and the whole root's caps leave (never below zero).</summary>
    public async ValueTask<StorageUsage> RoomAsync(CancellationToken ct)
    {
        var (tenant, total, options) = (await _usage.CurrentAsync(ct), await _storage.Total.CurrentAsync(ct), _storage.Options);
        return new StorageUsage(
            Math.Max(0, Math.Min(options.MaxTenantBytes - tenant.Bytes, options.MaxTotalBytes - total.Bytes)),
            Math.Max(0, Math.Min(options.MaxTenantFiles - tenant.Files, options.MaxTotalFiles - total.Files)));
    }

    /// <summary>Refuses, with <c>tool_storage_full</c>, a change that would take the tenant or the root past a cap.</summary>
    /// <param name="change">What the write adds; what it frees is never refused.</param>
    /// <param name="what">The write, as the caller knows it ("Writing 'notes.md'").</param>
    public async ValueTask ReserveAsync(StorageUsage change, string what, CancellationToken ct)
    {
        var (tenant, total, options) = (await _usage.CurrentAsync(ct), await _storage.Total.CurrentAsync(ct), _storage.Options);
        if (change.Bytes > 0 && tenant.Bytes + change.Bytes > options.MaxTenantBytes)
        {
            throw Full($"{what} needs {change.Bytes} more bytes, but the tenant's tool data holds {tenant.Bytes} of its {options.MaxTenantBytes}.");
        }

        if (change.Files > 0 && tenant.Files + change.Files > options.MaxTenantFiles)
        {
            throw Full($"{what} needs {change.Files} more files or folders, but the tenant's tool data holds {tenant.Files} of its {options.MaxTenantFiles}.");
        }

        if (change.Bytes > 0 && total.Bytes + change.Bytes > options.MaxTotalBytes)
        {
            throw Full($"{what} needs {change.Bytes} more bytes, but the grid's tool storage is full ({total.Bytes} of {options.MaxTotalBytes}).");
        }

        if (change.Files > 0 && total.Files + change.Files > options.MaxTotalFiles)
        {
            throw Full($"{what} needs {change.Files} more files or folders, but the grid's tool storage is full ({total.Files} of {options.MaxTotalFiles}).");
        }
    }

    /// <summary>Counts a change this silo made to the tenant's data.</summary>
    public void Record(StorageUsage change)
    {
        _usage.Add(change);
        _storage.Total.Add(change);
    }

    /// <summary>After a write that failed half-way: the tenant's next check counts its folder again.</summary>
    public void Invalidate() => _usage.Invalidate();

    internal static AgentGridException Full(string message) => new(ErrorCodes.ToolStorageFull, message + " Delete something to make room.");

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
