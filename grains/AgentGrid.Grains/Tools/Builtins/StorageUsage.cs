namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Bytes and files (files and folders: inodes) that tool data holds, or that a write adds (negative: frees).</summary>
public readonly record struct StorageUsage(long Bytes, long Files)
{
    public static StorageUsage operator +(StorageUsage a, StorageUsage b) => new(a.Bytes + b.Bytes, a.Files + b.Files);

    public static StorageUsage operator -(StorageUsage a, StorageUsage b) => new(a.Bytes - b.Bytes, a.Files - b.Files);

    /// <summary>What of the change adds: a count that only grows stays on the safe side when it cannot tell what a scan saw.</summary>
    public StorageUsage Growth => new(Math.Max(0, Bytes), Math.Max(0, Files));
}
