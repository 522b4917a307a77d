namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>How much one tenant's <see cref="FileSandbox"/> may hold and return.</summary>
public sealed class FileSandboxLimits
{
    /// <summary>The limits every property below states as its default.</summary>
    public static FileSandboxLimits Default { get; } = new();

    /// <summary>The largest file that may be read or written, in bytes; search skips larger files. Default 1 MiB.</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>The most files the sandbox may hold. Default 1000.</summary>
    public int MaxFiles { get; init; } = 1000;

    /// <summary>The most bytes all files together may hold. Default 50 MiB.</summary>
    public long MaxTotalBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>The most entries one <c>list_directory</c> returns. Default 1000.</summary>
    public int MaxListEntries { get; init; } = 1000;

    /// <summary>The most matches one <c>search_file_contents</c> returns. Default 100.</summary>
    public int MaxSearchMatches { get; init; } = 100;
}
