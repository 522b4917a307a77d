namespace AgentGrid.Knowledge.Search;

/// <summary>
/// Keeps the <c>k</c> best-scoring slots offered, in a min-heap of at most <c>k</c> entries. Equal scores keep the
/// lower slot, so the result does not depend on heap order and the top 10 is always the start of the top 100.
/// </summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<int, (float Score, int Slot)> _heap = new(k + 1, WorstFirst.Instance);

    public void Offer(int slot, float score)
    {
        if (_heap.Count < k)
        {
            _heap.Enqueue(slot, (score, slot));
        }
        else if (_heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((score, slot), worst) > 0)
        {
            _heap.DequeueEnqueue(slot, (score, slot));
        }
    }

    /// <summary>The slots kept, best first.</summary>
    public List<(int Slot, float Score)> Drain()
    {
        var items = new List<(int, float)>(_heap.Count);
        while (_heap.TryDequeue(out var slot, out var priority))
        {
            items.Add((slot, priority.Score));
        }

        items.Reverse();
        return items;
    }

    private sealed class WorstFirst : IComparer<(float Score, int Slot)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((float Score, int Slot) x, (float Score, int Slot) y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Slot.CompareTo(x.Slot);
    }
}
