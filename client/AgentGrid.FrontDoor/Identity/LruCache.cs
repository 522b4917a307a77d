using System.Diagnostics.CodeAnalysis;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// A map of at most <c>capacity</c> entries, each with a life of its own. Adding at capacity drops the least recently
/// used entry, never more. An expired entry is not answered, but is held until it is evicted or replaced, so a caller
/// can still tell what it once knew (<see cref="Holds"/>). Thread-safe.
/// </summary>
public sealed class LruCache<TKey, TValue> where TKey : notnull
{
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public LruCache(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The value of an entry that has not expired; reading it makes it the most recently used.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Until > now)
            {
                MakeMostRecent(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Whether an entry is held for <paramref name="key"/>, expired or not.</summary>
    public bool Holds(TKey key)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(key);
        }
    }

    public void Set(TKey key, TValue value, TimeSpan life)
    {
        var entry = new Entry(key, value, _time.GetUtcNow() + life);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                node.Value = entry;
                MakeMostRecent(node);
                return;
            }

            if (_entries.Count >= _capacity)
            {
                _entries.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }

            _entries[key] = _recency.AddFirst(entry);
        }
    }

    public void Remove(TKey key)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var node))
            {
                _recency.Remove(node);
            }
        }
    }

    /// <summary>Removes every entry whose value matches; a walk of the whole cache, for rare events.</summary>
    public void RemoveWhere(Func<TValue, bool> match)
    {
        lock (_lock)
        {
            for (var node = _recency.First; node is not null;)
            {
                var next = node.Next;
                if (match(node.Value.Value))
                {
                    _entries.Remove(node.Value.Key);
                    _recency.Remove(node);
                }

                node = next;
            }
        }
    }

    private void MakeMostRecent(LinkedListNode<Entry> node)
    {
        if (node != _recency.First)
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }
    }

    private readonly record struct Entry(TKey Key, TValue Value, DateTimeOffset Until);
}
