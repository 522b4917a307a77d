namespace AgentGrid.Bench;

/// <summary>What one request measured: time to its first token (streaming only) and the tokens it received.</summary>
public readonly record struct Sample(double? TtftMs = null, int Tokens = 0);

/// <summary>Latencies of one load phase, the wall time it took, and for streams the TTFTs and tokens.</summary>
public sealed record LoadResult(string Name, IReadOnlyList<double> LatenciesMs, IReadOnlyList<double> TtftsMs, long Tokens, double WallSeconds, int Errors)
{
    public double RequestsPerSecond => LatenciesMs.Count / WallSeconds;

    public double TokensPerSecond => Tokens / WallSeconds;

    public double Percentile(double p) => Percentile(LatenciesMs, p);

    public double TtftPercentile(double p) => Percentile(TtftsMs, p);

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
