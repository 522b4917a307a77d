namespace AgentGrid.Knowledge.Search;

/// <summary>How hybrid search combines the lexical and the vector result lists.</summary>
/// <remarks>
/// The defaults were chosen on the Debian FAQ benchmark (<c>bench/AgentGrid.Bench/Retrieval</c>): with all-MiniLM-L6-v2
/// the vector list is the stronger one, and plain reciprocal rank fusion with equal weights pulls it down (Recall@5
/// 0.837 to 0.789); min-max scores weighted 0.3/0.7 keep its Recall@5 and raise MRR@10 from 0.64 to 0.69.
/// </remarks>
public sealed class FusionOptions
{
    /// <summary>How scores are made comparable across the two lists. Default: <see cref="FusionMethod.MinMax"/>.</summary>
    public FusionMethod Method { get; init; } = FusionMethod.MinMax;

    /// <summary>The weight of the lexical (BM25) list. Default: 0.3.</summary>
    public double LexicalWeight { get; init; } = 0.3;

    /// <summary>The weight of the vector (cosine) list. Default: 0.7.</summary>
    public double VectorWeight { get; init; } = 0.7;

    /// <summary>How many candidates each list contributes (at least the number of results asked for). Default: 50.</summary>
    public int CandidateDepth { get; init; } = 50;

    /// <summary>The constant k of reciprocal rank fusion, 1 / (k + rank). Default: 60.</summary>
    public int RankConstant { get; init; } = 60;
}
