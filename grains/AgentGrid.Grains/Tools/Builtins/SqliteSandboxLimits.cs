namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>How much one <see cref="SqliteSandbox"/> query may return and how long it may run.</summary>
public sealed class SqliteSandboxLimits
{
    /// <summary>The limits every property below states as its default.</summary>
    public static SqliteSandboxLimits Default { get; } = new();

    /// <summary>The most rows one query returns; more set <c>truncated</c>. Default 500.</summary>
    public int MaxRows { get; init; } = 500;

    /// <summary>The most bytes of rows (as JSON) one query returns; more set <c>truncated</c>. Default 1 MiB.</summary>
    public long MaxResultBytes { get; init; } = 1024 * 1024;

    /// <summary>How long one query may run before it is interrupted with <c>tool_timeout</c>. Default 5 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most a writable tool's database may grow to. Default: 100 MiB.</summary>
    public long MaxDatabaseBytes { get; init; } = 100L * 1024 * 1024;
}
