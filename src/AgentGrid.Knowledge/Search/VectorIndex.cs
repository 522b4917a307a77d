namespace AgentGrid.Knowledge.Search;

/// <summary>
/// Exact nearest neighbours by cosine similarity: unit vectors in one contiguous array, scanned in full for each
/// query (a few milliseconds for 100,000 chunks of 384 dimensions on one core). Removal moves the last vector into the gap.
/// </summary>
/// <remarks>Safe for searches from several threads while one thread adds and removes.</remarks>
public sealed class VectorIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _chunksByDocument = new(StringComparer.Ordinal);
    private float[] _vectors = [];
    private string[] _chunkIds = [];
    private string[] _documentIds = [];

    /// <summary>An empty index of vectors with <paramref name="dimensions"/> components.</summary>
    public VectorIndex(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
    }

    /// <summary>The length every vector must have.</summary>
    public int Dimensions { get; }

    /// <summary>The number of chunks indexed.</summary>
    public int Count { get; private set; }

    /// <summary>Indexes the vectors of <paramref name="chunks"/> (normalised); a chunk id already indexed is replaced.</summary>
    /// <exception cref="ArgumentException">A vector's length is not <see cref="Dimensions"/>; nothing is added then.</exception>
    public void Add(IEnumerable<IndexedChunk> chunks)
    {
        var batch = chunks.ToList();
        if (batch.Find(c => c.Vector.Length != Dimensions) is { } wrong)
        {
            throw new ArgumentException($"Chunk '{wrong.ChunkId}' has {wrong.Vector.Length} dimensions; this index holds {Dimensions}.", nameof(chunks));
        }

        _lock.EnterWriteLock();
        try
        {
            foreach (var chunk in batch)
            {
                Put(chunk);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes every chunk of <paramref name="documentId"/> and returns their ids (none if it had none).</summary>
    public IReadOnlyCollection<string> RemoveDocument(string documentId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_chunksByDocument.Remove(documentId, out var chunkIds))
            {
                return [];
            }

            foreach (var chunkId in chunkIds)
            {
                RemoveSlot(_slots[chunkId]);
            }

            return chunkIds;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The <paramref name="k"/> chunks closest to <paramref name="query"/>, best first, scored by cosine similarity.</summary>
    /// <exception cref="ArgumentException">The query's length is not <see cref="Dimensions"/>.</exception>
    public IReadOnlyList<ScoredChunk> Search(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; this index holds {Dimensions}.", nameof(query));
        }

        Span<float> unit = query.Length <= 1024 ? stackalloc float[query.Length] : new float[query.Length];
        query.CopyTo(unit);
        VectorMath.Normalize(unit);

        _lock.EnterReadLock();
        try
        {
            if (k <= 0 || Count == 0)
            {
                return [];
            }

            var top = new TopK(Math.Min(k, Count));
            var vectors = _vectors.AsSpan(0, Count * Dimensions);
            for (var slot = 0; slot < Count; slot++)
            {
                top.Offer(slot, VectorMath.Dot(unit, vectors.Slice(slot * Dimensions, Dimensions)));
            }

            return top.Drain().Select(t => new ScoredChunk(_chunkIds[t.Slot], t.Score)).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private void Put(IndexedChunk chunk)
    {
        if (_slots.TryGetValue(chunk.ChunkId, out var slot))
        {
            Forget(_documentIds[slot], chunk.ChunkId);
        }
        else
        {
            slot = Count++;
            EnsureCapacity(Count);
            _slots[chunk.ChunkId] = slot;
        }

        var target = _vectors.AsSpan(slot * Dimensions, Dimensions);
        chunk.Vector.Span.CopyTo(target);
        VectorMath.Normalize(target);
        _chunkIds[slot] = chunk.ChunkId;
        _documentIds[slot] = chunk.DocumentId;
        if (!_chunksByDocument.TryGetValue(chunk.DocumentId, out var chunkIds))
        {
            _chunksByDocument[chunk.DocumentId] = chunkIds = new HashSet<string>(StringComparer.Ordinal);
        }

        chunkIds.Add(chunk.ChunkId);
    }

    private void Forget(string documentId, string chunkId)
    {
        if (_chunksByDocument.TryGetValue(documentId, out var chunkIds) && chunkIds.Remove(chunkId) && chunkIds.Count == 0)
        {
            _chunksByDocument.Remove(documentId);
        }
    }

    private void RemoveSlot(int slot)
    {
        var last = --Count;
        _slots.Remove(_chunkIds[slot]);
        if (slot != last)
        {
            _vectors.AsSpan(last * Dimensions, Dimensions).CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
            _chunkIds[slot] = _chunkIds[last];
            _documentIds[slot] = _documentIds[last];
            _slots[_chunkIds[slot]] = slot;
        }

        _chunkIds[last] = null!;
        _documentIds[last] = null!;
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _chunkIds.Length)
        {
            return;
        }

        var capacity = Math.Max(count, Math.Max(16, _chunkIds.Length * 2));
        Array.Resize(ref _vectors, capacity * Dimensions);
        Array.Resize(ref _chunkIds, capacity);
        Array.Resize(ref _documentIds, capacity);
    }
}
