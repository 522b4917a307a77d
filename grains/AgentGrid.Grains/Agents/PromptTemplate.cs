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

    /// <summary>
    /// Replaces each placeholder with its value; a placeholder without a value is left as written. A template that
    /// repeats a placeholder can multiply its value: a result over <see cref="Contracts.Limits.MaxRenderedSystemPromptLength"/>
    /// is refused with <c>prompt_too_large</c> before it is built.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        if (RenderedLength(template, values) is var length && length > Contracts.Limits.MaxRenderedSystemPromptLength)
        {
            throw new Contracts.Errors.AgentGridException(Contracts.Errors.ErrorCodes.PromptTooLarge,
                $"The system prompt with its variables filled in would be {length} characters; the most is {Contracts.Limits.MaxRenderedSystemPromptLength}.", "variables");
        }

        return Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }

    /// <summary>The length <see cref="Render"/> would produce, without producing it.</summary>
    public static long RenderedLength(string template, IReadOnlyDictionary<string, string> values)
    {
        long length = template.Length;
        foreach (Match match in Placeholder().Matches(template))
        {
            if (values.TryGetValue(match.Groups[1].Value, out var value))
            {
                length += value.Length - match.Length;
            }
        }

        return length;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    public static bool IsValidVariableName(string name) => VariableName().IsMatch(name);
}
