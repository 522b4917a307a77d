using AgentGrid.Contracts.Gpu;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// Chooses GPUs for a model by best fit: among the nodes (and GPU sets) where every GPU has room for its
/// share, the one that leaves the least room over, so large models still find whole GPUs later. Pure and
/// deterministic; the scheduler grain feeds it and records the result.
/// </summary>
public static class GpuBinPacker
{
    public sealed record Choice(string NodeId, IReadOnlyList<int> GpuIndexes, long Leftover);

    /// <param name="free">Per node, per GPU index: schedulable MiB.</param>
    public static Choice? Place(IReadOnlyDictionary<string, IReadOnlyList<(int Index, long FreeMiB)>> free, long perGpuMiB, int gpuCount, string? onlyNode = null)
    {
        Choice? best = null;
        foreach (var (node, gpus) in free.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (onlyNode is not null && node != onlyNode)
            {
                continue;
            }

            // The tightest GPUs that fit: sort fitting GPUs by free room and take the smallest gpuCount.
            var fitting = gpus.Where(g => g.FreeMiB >= perGpuMiB).OrderBy(g => g.FreeMiB).ThenBy(g => g.Index).Take(gpuCount).ToList();
            if (fitting.Count < gpuCount)
            {
                continue;
            }

            var leftover = fitting.Sum(g => g.FreeMiB - perGpuMiB);
            if (best is null || leftover < best.Leftover)
            {
                best = new Choice(node, [.. fitting.Select(g => g.Index).Order()], leftover);
            }
        }

        return best;
    }
}
