namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Counts what a sandbox folder holds, and lists its files, without ever following a link.</summary>
internal static class SandboxUsage
{
    private static readonly EnumerationOptions NoLinks = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
    };

    public static (int Files, long Bytes) Measure(string root)
    {
        var files = 0;
        var bytes = 0L;
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", NoLinks))
        {
            files++;
            bytes += file.Length;
        }

        return (files, bytes);
    }

    /// <summary>The files under a folder, in a stable order so results repeat.</summary>
    public static IEnumerable<FileInfo> Files(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", NoLinks).OrderBy(file => file.FullName, StringComparer.Ordinal);
}
