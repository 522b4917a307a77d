namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Counts what a folder of tool data holds, and lists its files, without ever following a link.</summary>
internal static class SandboxUsage
{
    private static readonly EnumerationOptions NoLinks = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
    };

    /// <summary>The bytes of every file and the count of every file and folder (each an inode) under the folder, itself not included.</summary>
    public static StorageUsage Measure(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return default;
        }

        var files = 0L;
        var bytes = 0L;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", NoLinks))
        {
            files++;
            bytes += entry is FileInfo file ? LengthOf(file) : 0;
        }

        return new StorageUsage(bytes, files);
    }

    private static long LengthOf(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (IOException)
        {
            // Deleted between listing and reading its size (another silo shares the volume): it holds nothing now.
            return 0;
        }
    }

    /// <summary>The files under a folder, in a stable order so results repeat.</summary>
    public static IEnumerable<FileInfo> Files(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", NoLinks).OrderBy(file => file.FullName, StringComparer.Ordinal);
}
