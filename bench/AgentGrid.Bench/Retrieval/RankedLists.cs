using AgentGrid.Knowledge.Search;

namespace AgentGrid.Bench.Retrieval;

/// <summary>
/// Scores rankings against the FAQ: each method returns <see cref="ResultChunks"/> chunks per question, which are
/// folded into the distinct documents (answers) they belong to; the question's own answer is the one relevant document.
/// </summary>
public sealed class RankedLists(FaqCorpus corpus)
{
    /// <summary>How many chunks every method returns per query (as a shard asked for its top chunks would).</summary>
    public const int ResultChunks = 20;

    /// <summary>How deep the per-list candidates are fetched, the deepest fusion setting tried.</summary>
    public const int CandidateChunks = 100;

    private readonly Dictionary<string, string> _documentOf = corpus.Chunks.ToDictionary(c => c.ChunkId, c => c.DocumentId);

    /// <summary>Each question's candidates from a lexical index holding the corpus.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredChunk>> Lexical(LexicalIndexOptions options)
    {
        using var index = new LexicalIndex(options);
        index.Add(corpus.Chunks);
        return corpus.Questions.Select(q => index.Search(q.Question, CandidateChunks)).ToList();
    }

    /// <summary>Each question's candidates from a vector index holding <paramref name="chunks"/>.</summary>
    public IReadOnlyList<IReadOnlyList<ScoredChunk>> Vector(IReadOnlyList<IndexedChunk> chunks)
    {
        using var index = new VectorIndex(chunks[0].Vector.Length);
        index.Add(chunks);
        return corpus.QueryVectors.Select(v => index.Search(v, CandidateChunks)).ToList();
    }

    /// <summary>The metrics of a <see cref="ChunkIndex"/> with its default settings holding the corpus, searched in <paramref name="mode"/>.</summary>
    public RetrievalMetrics Indexed(SearchMode mode)
    {
        using var index = new ChunkIndex(corpus.QueryVectors[0].Length);
        index.Add(corpus.Chunks);
        return Score(i => index.Search(corpus.Questions[i].Question, corpus.QueryVectors[i], ResultChunks, mode).Select(h => new ScoredChunk(h.ChunkId, h.Score)));
    }

    /// <summary>The metrics of one result list per question, over the questions <paramref name="include"/> picks (all by default).</summary>
    public RetrievalMetrics Score(Func<int, IEnumerable<ScoredChunk>> results, Func<int, bool>? include = null) =>
        RetrievalMetrics.From(Enumerable.Range(0, corpus.Questions.Count)
            .Where(i => include?.Invoke(i) ?? true)
            .Select(i => RetrievalMetrics.RankOf(corpus.Questions[i].Id, results(i).Take(ResultChunks).Select(r => _documentOf[r.ChunkId])))
            .ToList());

    /// <summary>The metrics of fusing two candidate lists per question.</summary>
    public RetrievalMetrics Fused(
        IReadOnlyList<IReadOnlyList<ScoredChunk>> lexical, IReadOnlyList<IReadOnlyList<ScoredChunk>> vector, FusionOptions options, Func<int, bool>? include = null)
    {
        var fusion = new HybridFusion(options);
        return Score(i => fusion.Fuse(lexical[i], vector[i], ResultChunks), include);
    }
}
