using System.Text.RegularExpressions;

namespace AgentGrid.Grains.Agents;

/// <summary>System prompts with <c>{{variable}}</c> placeholders, filled per session.</summary>
public static partial class PromptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The distinct placeholder names in <paramref name="template"/>, in order of first use.</summary>
    public static IReadOnlyList<string> Variables(string? template) =>
        template is null ? [] : [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Replaces each placeholder with its value; a placeholder without a value is left as written.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    public static bool IsValidVariableName(string name) => VariableName().IsMatch(name);
}
