namespace AgentGrid.Knowledge.Search;

/// <summary>
/// Everything a shard searches over, kept in memory: the chunks' texts, a <see cref="LexicalIndex"/> and a
/// <see cref="VectorIndex"/>, updated together chunk by chunk and queried lexically, by vector, or both fused.
/// </summary>
/// <remarks>Safe for searches from several threads while one thread adds and removes.</remarks>
public sealed class ChunkIndex : IDisposable
{
    private readonly LexicalIndex _lexical;
    private readonly VectorIndex _vector;
    private readonly HybridFusion _fusion;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IndexedChunk> _chunks = new(StringComparer.Ordinal);

    /// <summary>An empty index for embeddings of <paramref name="dimensions"/> components.</summary>
    public ChunkIndex(int dimensions, LexicalIndexOptions? lexical = null, FusionOptions? fusion = null)
    {
        _vector = new VectorIndex(dimensions);
        _lexical = new LexicalIndex(lexical);
        _fusion = new HybridFusion(fusion);
    }

    /// <summary>The number of chunks indexed.</summary>
    public int Count => _vector.Count;

    /// <summary>The length of the vectors it holds.</summary>
    public int Dimensions => _vector.Dimensions;

    /// <summary>Indexes <paramref name="chunks"/>; a chunk whose id is already indexed replaces the old one.</summary>
    /// <exception cref="ArgumentException">A vector's length is not the index's dimensions; nothing is added then.</exception>
    public void Add(IEnumerable<IndexedChunk> chunks)
    {
        var batch = chunks.ToList();
        _vector.Add(batch);
        _lexical.Add(batch);
        lock (_gate)
        {
            foreach (var chunk in batch)
            {
                // The vector index holds its own copy; keeping a second would double the memory.
                _chunks[chunk.ChunkId] = chunk with { Vector = ReadOnlyMemory<float>.Empty };
            }
        }
    }

    /// <summary>Removes every chunk of <paramref name="documentId"/> and returns how many there were.</summary>
    public int RemoveDocument(string documentId)
    {
        var removed = _vector.RemoveDocument(documentId);
        _lexical.RemoveDocument(documentId);
        lock (_gate)
        {
            foreach (var chunkId in removed)
            {
                _chunks.Remove(chunkId);
            }
        }

        return removed.Count;
    }

    /// <summary>The <paramref name="k"/> chunks that best answer the query, best first.</summary>
    /// <param name="query">The query's text, for the lexical side; may be empty in <see cref="SearchMode.Vector"/>.</param>
    /// <param name="queryVector">The query's embedding, for the vector side; may be empty in <see cref="SearchMode.Lexical"/>.</param>
    /// <param name="k">How many chunks to return.</param>
    /// <param name="mode">Which side, or both fused.</param>
    /// <exception cref="ArgumentException">The mode needs the query's embedding and it is missing or of the wrong length.</exception>
    public IReadOnlyList<SearchHit> Search(string query, ReadOnlyMemory<float> queryVector, int k, SearchMode mode = SearchMode.Hybrid)
    {
        if (k <= 0)
        {
            return [];
        }

        var depth = Math.Max(k, _fusion.Options.CandidateDepth);
        var ranked = mode switch
        {
            SearchMode.Lexical => _lexical.Search(query, k),
            SearchMode.Vector => _vector.Search(queryVector.Span, k),
            _ => _fusion.Fuse(_lexical.Search(query, depth), _vector.Search(queryVector.Span, depth), k),
        };
        lock (_gate)
        {
            // A chunk removed between the ranking and this lookup is dropped rather than returned without its text.
            return ranked
                .Select(r => _chunks.TryGetValue(r.ChunkId, out var c) ? new SearchHit(c.ChunkId, c.DocumentId, c.Text, c.Heading, r.Score) : null)
                .OfType<SearchHit>()
                .ToList();
        }
    }

    /// <summary>
    /// The raw candidates of each side, best first, for a caller that fuses several indexes' candidates at once (the
    /// shards of one knowledge base): BM25 scores and cosine similarities, comparable across indexes as fused scores are not.
    /// </summary>
    public (IReadOnlyList<SearchHit> Lexical, IReadOnlyList<SearchHit> Vector) Candidates(string query, ReadOnlyMemory<float> queryVector, int depth, SearchMode mode)
    {
        var lexical = mode == SearchMode.Vector || depth <= 0 ? [] : _lexical.Search(query, depth);
        var vector = mode == SearchMode.Lexical || depth <= 0 ? [] : _vector.Search(queryVector.Span, depth);
        lock (_gate)
        {
            return (Hits(lexical), Hits(vector));
        }
    }

    /// <summary>The fusion this index applies, for callers that fuse candidates themselves.</summary>
    public HybridFusion Fusion => _fusion;

    private List<SearchHit> Hits(IReadOnlyList<ScoredChunk> ranked) => [.. ranked
        .Select(r => _chunks.TryGetValue(r.ChunkId, out var c) ? new SearchHit(c.ChunkId, c.DocumentId, c.Text, c.Heading, r.Score) : null)
        .OfType<SearchHit>()];

    /// <inheritdoc />
    public void Dispose()
    {
        _lexical.Dispose();
        _vector.Dispose();
    }
}
