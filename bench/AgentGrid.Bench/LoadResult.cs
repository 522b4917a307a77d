namespace AgentGrid.Bench;

/// <summary>Latencies of one load phase and the wall time it took.</summary>
public sealed record LoadResult(string Name, IReadOnlyList<double> LatenciesMs, double WallSeconds, int Errors)
{
    public double RequestsPerSecond => LatenciesMs.Count / WallSeconds;

    public double Percentile(double p)
    {
        var sorted = LatenciesMs.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
