using System.Globalization;
using AgentGrid.Contracts.Gpu;

namespace AgentGrid.Grains.Gpu;

/// <summary>
/// Reads <c>nvidia-smi --query-gpu=... --format=csv</c> output: with or without a header line, with or without
/// units (<c>81559 MiB</c>, <c>0 %</c>), fields in any order, <c>[N/A]</c> or <c>[Not Supported]</c> for missing values.
/// Lines that cannot be read are reported, never guessed.
/// </summary>
public static class NvidiaSmiParser
{
    /// <summary>The query AgentGrid runs.</summary>
    public static readonly IReadOnlyList<string> Query = ["index", "name", "uuid", "memory.total", "memory.used", "memory.free", "utilization.gpu"];

    public static string Arguments => $"--query-gpu={string.Join(',', Query)} --format=csv,noheader,nounits";

    public static GpuParseResult Parse(string output, IReadOnlyList<string>? fields = null)
    {
        var gpus = new List<GpuDevice>();
        var problems = new List<string>();
        var columns = (fields ?? Query).ToList();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var values = line.Split(',').Select(v => v.Trim()).ToList();
            if (values.Any(v => v.StartsWith("memory.total", StringComparison.Ordinal)) || values.Contains("index"))
            {
                // A header: it names the columns (and their units, which the values then carry).
                columns = [.. values.Select(v => v.Split(' ')[0])];
                continue;
            }

            if (values.Count != columns.Count)
            {
                problems.Add($"line {number}: expected {columns.Count} values, found {values.Count}.");
                continue;
            }

            string? Value(string field) => columns.IndexOf(field) is var i and >= 0 ? Clean(values[i]) : null;
            long? Number(string field) => long.TryParse(Value(field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

            var index = Number("index");
            var total = Number("memory.total");
            var name = Value("name");
            if (index is null || total is null || string.IsNullOrEmpty(name))
            {
                problems.Add($"line {number}: index, name and memory.total are required.");
                continue;
            }

            var used = Number("memory.used");
            var free = Number("memory.free") ?? total.Value - (used ?? 0);
            gpus.Add(new GpuDevice((int)index.Value, name, Value("uuid"), total.Value, used ?? Math.Max(0, total.Value - free), free,
                Number("utilization.gpu") is { } utilization ? (int)utilization : null));
        }

        return new GpuParseResult(gpus, problems);
    }

    // Units follow the number after a space; "[N/A]" and "[Not Supported]" mean the driver does not know.
    private static string? Clean(string value)
    {
        if (value.StartsWith('[') || value.Length == 0)
        {
            return null;
        }

        var space = value.LastIndexOf(' ');
        return space > 0 && value[(space + 1)..] is "MiB" or "%" or "W" or "C" ? value[..space] : value;
    }
}

public sealed record GpuParseResult(IReadOnlyList<GpuDevice> Gpus, IReadOnlyList<string> Problems);
