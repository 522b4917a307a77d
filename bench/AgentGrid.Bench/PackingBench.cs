using AgentGrid.Grains.Gpu;

namespace AgentGrid.Bench;

/// <summary>
/// Placement packing: on generated clusters and streams of worker requests (sizes of real model profiles),
/// the VRAM the scheduler's best fit places, placing each request as it comes, against the best possible for
/// the same requests (an exact search that may reorder and skip), with first fit as a baseline.
/// </summary>
public static class PackingBench
{
    private static readonly long[] ModelSizesGb = [3, 6, 17, 18, 24, 40, 72];

    public static int Run(int workloads = 300, int seed = 7)
    {
        var random = new Random(seed);
        double bestFit = 0, firstFit = 0, optimal = 0, capacity = 0;
        for (var w = 0; w < workloads; w++)
        {
            var gpus = Enumerable.Range(0, random.Next(2, 6)).Select(_ => new[] { 24L, 48L, 80L }[random.Next(3)]).ToArray();
            var requests = Enumerable.Range(0, random.Next(6, 14)).Select(_ => ModelSizesGb[random.Next(ModelSizesGb.Length)]).ToArray();
            bestFit += Online(gpus, requests, best: true);
            firstFit += Online(gpus, requests, best: false);
            optimal += Optimal(gpus, requests);
            capacity += Math.Min(gpus.Sum(), requests.Sum());
        }

        Console.WriteLine();
        Console.WriteLine($"Packing: {workloads} workloads of 2-5 GPUs (24/48/80 GB) and 6-13 worker requests of 3-72 GB, placed in arrival order");
        Console.WriteLine($"best fit (AgentGrid) places {bestFit / optimal:P1} of the optimum's VRAM; first fit {firstFit / optimal:P1}; optimum fills {optimal / capacity:P1} of min(capacity, demand)");
        return 0;
    }

    private static long Online(long[] gpus, long[] requests, bool best)
    {
        var free = gpus.Select((g, i) => (Index: i, FreeMiB: g * 1024)).ToList();
        long placed = 0;
        foreach (var size in requests)
        {
            var need = size * 1024;
            var index = -1;
            if (best)
            {
                var choice = GpuBinPacker.Place(new Dictionary<string, IReadOnlyList<(int, long)>> { ["n"] = free }, need, 1);
                index = choice?.GpuIndexes[0] ?? -1;
            }
            else
            {
                index = free.FindIndex(g => g.FreeMiB >= need);
            }

            if (index >= 0)
            {
                free[index] = (index, free[index].FreeMiB - need);
                placed += size;
            }
        }

        return placed;
    }

    /// <summary>The most VRAM any assignment of a subset of the requests can place (exact, by search with pruning).</summary>
    private static long Optimal(long[] gpus, long[] requests)
    {
        var sorted = requests.OrderDescending().ToArray();
        var free = (long[])gpus.Clone();
        var suffix = new long[sorted.Length + 1];
        for (var i = sorted.Length - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + sorted[i];
        }

        long best = 0;
        void Search(int i, long placed)
        {
            best = Math.Max(best, placed);
            if (i == sorted.Length || placed + Math.Min(suffix[i], free.Sum()) <= best)
            {
                return;
            }

            var tried = new HashSet<long>();
            for (var g = 0; g < free.Length; g++)
            {
                // GPUs with the same free room are interchangeable: try one of them.
                if (free[g] >= sorted[i] && tried.Add(free[g]))
                {
                    free[g] -= sorted[i];
                    Search(i + 1, placed + sorted[i]);
                    free[g] += sorted[i];
                }
            }

            Search(i + 1, placed);
        }

        Search(0, 0);
        return best;
    }
}
