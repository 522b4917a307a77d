namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// How large a file one tenant's <see cref="FileSandbox"/> may read or write and how much one call returns; how much the
/// tenant may store is <see cref="ToolStorage"/>'s caps.
/// </summary>
public sealed class FileSandboxLimits
{
    /// <summary>The limits every property below states as its default.</summary>
    public static FileSandboxLimits Default { get; } = new();

    /// <summary>The largest file that may be read or written, in bytes; search skips larger files. Default 1 MiB.</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>The most entries one <c>list_directory</c> returns. Default 1000.</summary>
    public int MaxListEntries { get; init; } = 1000;

    /// <summary>The most matches one <c>search_file_contents</c> returns. Default 100.</summary>
    public int MaxSearchMatches { get; init; } = 100;
}
