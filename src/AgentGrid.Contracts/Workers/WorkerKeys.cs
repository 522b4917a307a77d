namespace AgentGrid.Contracts.Workers;

/// <summary>Worker ids carry their node: <c>w-{random}@{node}</c>, so placement needs no lookup.</summary>
public static class WorkerKeys
{
    public static string New(string nodeId) => $"w-{Guid.NewGuid():N}"[..14] + "@" + nodeId;

    /// <summary>The node part of a worker id, or the whole key for a node grain.</summary>
    public static string NodeOf(string key) => key.IndexOf('@') is var at and >= 0 ? key[(at + 1)..] : key;

    public static bool IsValid(string id) =>
        id.StartsWith("w-", StringComparison.Ordinal) && id.IndexOf('@') is > 2 and var at && at < id.Length - 1 && id.Length <= 200
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');
}
