namespace AgentGrid.Knowledge.Search;

/// <summary>Which index answers a query.</summary>
public enum SearchMode
{
    /// <summary>Both indexes, their lists combined by <see cref="HybridFusion"/>.</summary>
    Hybrid,

    /// <summary>BM25 over the chunk texts (and headings) only.</summary>
    Lexical,

    /// <summary>Cosine similarity of embeddings only.</summary>
    Vector,
}
