namespace AgentGrid.Bench.Retrieval;

/// <summary>Recall at 1, 5 and 10 and mean reciprocal rank within the first 10, over a set of queries.</summary>
public sealed record RetrievalMetrics(double RecallAt1, double RecallAt5, double RecallAt10, double MrrAt10, int Queries)
{
    /// <summary>The metrics for queries whose one relevant item was found at the given 1-based ranks (null: not found).</summary>
    public static RetrievalMetrics From(IReadOnlyList<int?> ranks)
    {
        double Recall(int k) => ranks.Count(r => r <= k) / (double)ranks.Count;
        var mrr = ranks.Sum(r => r is { } rank && rank <= 10 ? 1.0 / rank : 0) / ranks.Count;
        return new RetrievalMetrics(Recall(1), Recall(5), Recall(10), mrr, ranks.Count);
    }

    /// <summary>The 1-based rank of <paramref name="relevant"/> among the distinct documents of a chunk ranking, or null.</summary>
    public static int? RankOf(string relevant, IEnumerable<string> documentsOfRankedChunks)
    {
        var rank = 0;
        foreach (var document in documentsOfRankedChunks.Distinct(StringComparer.Ordinal))
        {
            rank++;
            if (document == relevant)
            {
                return rank;
            }
        }

        return null;
    }

    /// <summary>A table row: the name, then the four metrics.</summary>
    public string Row(string name) => $"{name,-58} {RecallAt1,6:F3} {RecallAt5,6:F3} {RecallAt10,6:F3} {MrrAt10,7:F3}";

    /// <summary>The header that matches <see cref="Row"/>.</summary>
    public static string Header(string title) => $"{title,-58} {"R@1",6} {"R@5",6} {"R@10",6} {"MRR@10",7}";
}
