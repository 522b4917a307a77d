using System.Globalization;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// GPU memory per process, as <c>nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits</c> reports it
/// (empty output when no process uses a GPU).
/// </summary>
public static class ComputeApps
{
    public const string Arguments = "--query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits";

    public sealed record Usage(int Pid, string GpuUuid, long UsedMiB);

    /// <summary>The lines that parse; a malformed line (a driver's "[N/A]", a truncated line) is skipped.</summary>
    public static IReadOnlyList<Usage> Parse(string output)
    {
        var usages = new List<Usage>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length == 3 && int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) && fields[1].Length > 0)
            {
                usages.Add(new Usage(pid, fields[1], mib));
            }
        }

        return usages;
    }

    /// <summary>
    /// Memory used per GPU by each launched server, counting every process of its session (tensor-parallel workers included):
    /// the most it uses on any one of its GPUs, by the session id (the server's own pid).
    /// </summary>
    public static IReadOnlyDictionary<int, long> BySession(IReadOnlyList<Usage> usages, Func<int, int?> sessionOf) =>
        usages.Select(u => (Session: sessionOf(u.Pid), u.GpuUuid, u.UsedMiB))
            .Where(u => u.Session is not null)
            .GroupBy(u => u.Session!.Value)
            .ToDictionary(g => g.Key, g => g.GroupBy(u => u.GpuUuid).Max(gpu => gpu.Sum(u => u.UsedMiB)));
}
