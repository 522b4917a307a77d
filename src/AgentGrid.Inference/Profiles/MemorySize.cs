using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentGrid.Inference.Profiles;

/// <summary>Reads GPU memory sizes: <c>16GB</c>, <c>16 GiB</c>, <c>512MiB</c>, or a bare number of GB. Result in MiB.</summary>
public static partial class MemorySize
{
    public static bool TryParseMiB(string? text, out long mib)
    {
        mib = 0;
        var match = Size().Match(text?.Trim() ?? "");
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }

        // GPU vendors and model cards say "GB" and mean GiB (an "80GB" H100 reports 81559 MiB); both count as 1024 MiB.
        var unit = match.Groups[2].Value.ToUpperInvariant();
        var perUnit = unit switch { "" or "G" or "GB" or "GIB" => 1024d, "M" or "MB" or "MIB" => 1d, "T" or "TB" or "TIB" => 1024d * 1024, _ => 0 };
        mib = (long)Math.Ceiling(value * perUnit);
        return perUnit > 0 && mib > 0;
    }

    public static string Format(long mib) => mib % 1024 == 0 ? $"{mib / 1024}GB" : $"{mib / 1024d:0.#}GB";

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$")]
    private static partial Regex Size();
}
