namespace AgentGrid.Knowledge.Search;

/// <summary>
/// Combines a lexical and a vector result list into one ranking: each list's scores are normalised
/// (<see cref="FusionOptions.Method"/>), weighted, and summed per chunk; a chunk missing from a list gets nothing from it.
/// </summary>
public sealed class HybridFusion(FusionOptions? options = null)
{
    /// <summary>The settings in use.</summary>
    public FusionOptions Options { get; } = options ?? new FusionOptions();

    /// <summary>The <paramref name="k"/> best chunks of the two lists combined, best first.</summary>
    /// <param name="lexical">BM25 results, best first.</param>
    /// <param name="vector">Cosine results, best first.</param>
    /// <param name="k">How many fused results to return.</param>
    public IReadOnlyList<ScoredChunk> Fuse(IReadOnlyList<ScoredChunk> lexical, IReadOnlyList<ScoredChunk> vector, int k)
    {
        if (k <= 0)
        {
            return [];
        }

        var depth = Math.Max(k, Options.CandidateDepth);
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        Accumulate(fused, lexical.Take(depth).ToList(), Options.LexicalWeight);
        Accumulate(fused, vector.Take(depth).ToList(), Options.VectorWeight);
        return fused
            .OrderByDescending(entry => entry.Value)
            .ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Take(k)
            .Select(entry => new ScoredChunk(entry.Key, entry.Value))
            .ToList();
    }

    private void Accumulate(Dictionary<string, double> fused, List<ScoredChunk> list, double weight)
    {
        if (list.Count == 0 || weight == 0)
        {
            return;
        }

        var normalised = Normalise(list);
        for (var i = 0; i < list.Count; i++)
        {
            fused[list[i].ChunkId] = fused.GetValueOrDefault(list[i].ChunkId) + weight * normalised[i];
        }
    }

    private double[] Normalise(List<ScoredChunk> list) => Options.Method switch
    {
        FusionMethod.ReciprocalRank => list.Select((_, index) => 1.0 / (Options.RankConstant + index + 1)).ToArray(),
        FusionMethod.Distribution => Distribution(list),
        _ => MinMax(list),
    };

    private static double[] MinMax(List<ScoredChunk> list)
    {
        var max = list.Max(c => c.Score);
        var min = list.Min(c => c.Score);
        // A single candidate (or a tie across the list) carries no spread: it counts in full.
        return list.Select(c => max > min ? (c.Score - min) / (max - min) : 1.0).ToArray();
    }

    private static double[] Distribution(List<ScoredChunk> list)
    {
        var mean = list.Average(c => c.Score);
        var deviation = Math.Sqrt(list.Average(c => (c.Score - mean) * (c.Score - mean)));
        if (deviation == 0)
        {
            return list.Select(_ => 1.0).ToArray();
        }

        var low = mean - 3 * deviation;
        return list.Select(c => Math.Clamp((c.Score - low) / (6 * deviation), 0, 1)).ToArray();
    }
}
