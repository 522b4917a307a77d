namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// The last lines a model server wrote (stdout and stderr), for <c>GET /api/workers/{id}/logs</c>. Bounded in lines and line length;
/// the secrets it was given (its API key, the Hugging Face token) are masked as lines arrive, so they are never kept or shown.
/// </summary>
public sealed class ServerLog(IReadOnlyList<string> secrets, int capacity = ServerLog.DefaultCapacity)
{
    public const int DefaultCapacity = 1000;
    public const int MaxLineLength = 4000;
    private readonly Queue<string> _lines = new();
    private readonly IReadOnlyList<string> _secrets = [.. secrets.Where(s => s.Length >= 8)];

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        foreach (var secret in _secrets)
        {
            line = line.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        if (line.Length > MaxLineLength)
        {
            line = line[..MaxLineLength] + " [cut]";
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lines)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count))];
        }
    }
}
