namespace AgentGrid.Grains.Workers.Routing;

/// <summary>Which worker last served a key, for the most recent <c>capacity</c> keys.</summary>
internal sealed class AffinityMemory(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, string WorkerId)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, string WorkerId)> _recency = new();

    public string? WorkerOf(string? key) => key is not null && _entries.TryGetValue(key, out var node) ? node.Value.WorkerId : null;

    public void Remember(string? key, string workerId)
    {
        if (key is null)
        {
            return;
        }

        if (_entries.Remove(key, out var existing))
        {
            _recency.Remove(existing);
        }

        _entries[key] = _recency.AddFirst((key, workerId));
        if (_entries.Count > capacity)
        {
            _entries.Remove(_recency.Last!.Value.Key);
            _recency.RemoveLast();
        }
    }
}
