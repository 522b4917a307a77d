using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// How the simulator uses tools, deterministically, so a whole tool loop can be tested without a model. It calls, one
/// per step, each tool its last user message names (as a whole word, in order, repeats counted) until each has a
/// result; a forced <c>tool_choice</c> calls the named tool (or, for <c>required</c>, the first named or offered) once.
/// Arguments are the JSON object written right after the name, else values made from the tool's schema. Retrieved
/// passages travel inside the user message, so, like a model that falls for a prompt injection, it calls what a
/// retrieved document names.
/// </summary>
public static class SimulatedToolCall
{
    public sealed record Tool(string Name, JsonElement Parameters);

    /// <summary>The call to make, or null to answer in text.</summary>
    /// <param name="choice"><c>auto</c>, <c>none</c>, <c>required</c> or a tool's name.</param>
    /// <param name="prompt">Each message's role and text, oldest first.</param>
    public static (string Name, string Arguments)? Decide(IReadOnlyList<Tool> tools, string choice, IReadOnlyList<(string Role, string Content)> prompt)
    {
        if (tools.Count == 0 || choice == Providers.ModelTools.None)
        {
            return null;
        }

        var lastUser = -1;
        for (var i = prompt.Count - 1; i >= 0 && lastUser < 0; i--)
        {
            lastUser = prompt[i].Role == "user" ? i : -1;
        }

        var answered = prompt.Skip(lastUser + 1).Count(m => m.Role == "tool");
        var text = lastUser >= 0 ? prompt[lastUser].Content : "";
        var mentions = Mentions(tools, text);
        if (choice is not (Providers.ModelTools.Auto or Providers.ModelTools.Required))
        {
            return answered == 0 && tools.FirstOrDefault(t => t.Name == choice) is { } forced
                ? (forced.Name, mentions.FirstOrDefault(m => m.Tool == forced).Arguments ?? FromSchema(forced.Parameters).ToJsonString())
                : null;
        }

        if (answered < mentions.Count)
        {
            var (tool, written) = mentions[answered];
            return (tool.Name, written ?? FromSchema(tool.Parameters).ToJsonString());
        }

        if (choice == Providers.ModelTools.Required && answered == 0)
        {
            return (tools[0].Name, FromSchema(tools[0].Parameters).ToJsonString());
        }

        return null;
    }

    /// <summary>The text reply after tool results: what the last one returned (the data inside a fence, if it is fenced).</summary>
    public static string? AnswerFromResults(IReadOnlyList<(string Role, string Content)> prompt)
    {
        if (prompt.Count == 0 || prompt[^1].Role != "tool")
        {
            return null;
        }

        var result = prompt[^1].Content;
        var open = result.IndexOf("<tool_output>", StringComparison.Ordinal);
        var close = result.LastIndexOf("</tool_output>", StringComparison.Ordinal);
        return "The tool returned: " + (open >= 0 && close > open ? result[(open + "<tool_output>".Length)..close].Trim() : result);
    }

    /// <summary>
    /// The tools named in <paramref name="text"/>, in order, each with the JSON object written after it; names inside
    /// such an object are part of the arguments, not mentions.
    /// </summary>
    private static List<(Tool Tool, string? Arguments)> Mentions(IReadOnlyList<Tool> tools, string text)
    {
        var found = new List<(Tool, int Start, int End)>();
        foreach (var tool in tools)
        {
            for (var at = text.IndexOf(tool.Name, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(tool.Name, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + tool.Name.Length;
                if ((at == 0 || !IsNameChar(text[at - 1])) && (end == text.Length || !IsNameChar(text[end])))
                {
                    found.Add((tool, at, end));
                }
            }
        }

        var mentions = new List<(Tool, string?)>();
        var consumed = 0;
        foreach (var (tool, start, end) in found.OrderBy(f => f.Start))
        {
            if (start < consumed)
            {
                continue;
            }

            var (arguments, after) = JsonAfter(text, end);
            mentions.Add((tool, arguments));
            consumed = after;
        }

        return mentions;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>The JSON object written right after a tool's name (spaces or a colon between), if any, and where it ends.</summary>
    private static (string? Json, int End) JsonAfter(string text, int start)
    {
        var i = start;
        while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ':'))
        {
            i++;
        }

        if (i >= text.Length || text[i] != '{')
        {
            return (null, start);
        }

        var depth = 0;
        var inString = false;
        for (var j = i; j < text.Length; j++)
        {
            var c = text[j];
            if (inString)
            {
                if (c == '\\')
                {
                    j++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            depth += c switch { '{' => 1, '}' => -1, _ => 0 };
            inString = c == '"';
            if (depth == 0)
            {
                try
                {
                    return (JsonNode.Parse(text[i..(j + 1)]) is JsonObject parsed ? parsed.ToJsonString() : null, j + 1);
                }
                catch (JsonException)
                {
                    return (null, start);
                }
            }
        }

        return (null, start);
    }

    /// <summary>A value matching a JSON Schema's basics: required properties (or all, when none are), enums, types, minimums.</summary>
    public static JsonNode FromSchema(JsonElement schema)
    {
        try
        {
            return ValueFor(schema);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            // A schema of unexpected shapes: the simplest value stands in for it.
            return new JsonObject();
        }
    }

    private static JsonNode ValueFor(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return new JsonObject();
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText())!;
        }

        var type = schema.TryGetProperty("type", out var t) ? (t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString()) : "object";
        switch (type)
        {
            case "string":
                return schema.TryGetProperty("format", out var format) && format.GetString() is "uri" or "url" ? "https://example.com/" : "example";
            case "integer":
            case "number":
                return schema.TryGetProperty("minimum", out var min) && min.TryGetDouble(out var m) ? (type == "integer" ? (JsonNode)(long)Math.Ceiling(m) : m) : 1;
            case "boolean":
                return true;
            case "array":
                return new JsonArray();
            default:
                var result = new JsonObject();
                if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
                {
                    return result;
                }

                var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet()
                    : null;
                foreach (var property in properties.EnumerateObject())
                {
                    if (required is null || required.Contains(property.Name))
                    {
                        result[property.Name] = ValueFor(property.Value);
                    }
                }

                return result;
        }
    }
}
