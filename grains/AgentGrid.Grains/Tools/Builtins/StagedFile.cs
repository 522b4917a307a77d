namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// Writes a file whole or not at all: the bytes go to a new file in the tenant's staging folder, are flushed to disk, and
/// the file is renamed over its target in one step. A reader (on any silo) sees the old content or the new, never part of
/// it; a write that fails (the volume full, a cancelled call, a crash) leaves the target as it was.
/// </summary>
internal static class StagedFile
{
    private const int NoSpaceErrno = 28;
    private const int DiskFullWin32 = 112;
    private const int HandleDiskFullWin32 = 39;

    public static async Task WriteAsync(string staging, string target, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var temp = Path.Combine(staging, $"{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(bytes, ct);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Whether the file system refused the write for want of space (ENOSPC, or Windows' disk full).</summary>
    public static bool IsNoSpace(IOException e) => e.HResult == NoSpaceErrno || (e.HResult & 0xFFFF) is DiskFullWin32 or HandleDiskFullWin32;

    /// <summary>Removes what writes interrupted by a crash left in the staging folder (old enough that no write is still at it).</summary>
    public static void Sweep(string staging, TimeSpan olderThan)
    {
        try
        {
            foreach (var file in new DirectoryInfo(staging).EnumerateFiles("*.tmp"))
            {
                if (DateTime.UtcNow - file.LastWriteTimeUtc > olderThan)
                {
                    TryDelete(file.FullName);
                }
            }
        }
        catch (IOException)
        {
            // Another silo swept it first, or the folder went away: the next start tries again.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
