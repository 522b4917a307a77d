using System.Text;

namespace AgentGrid.Cli;

/// <summary>A plain-text table: a header row and columns padded to their widest cell.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params object?[] cells)
    {
        _rows.Add([.. cells.Select(c => c?.ToString() ?? "-")]);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        foreach (var row in _rows)
        {
            Line(row);
        }

        return text.ToString();
    }
}
