using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentGrid.Grains.Workflows;

/// <summary>
/// Fills <c>{{input}}</c> (the run's input) and <c>{{steps.ID.output}}</c> (a completed step's output) into a step's text,
/// and into every string of a tool step's arguments.
/// </summary>
internal static partial class WorkflowTemplates
{
    public static string Render(string template, string input, Func<string, string?> output) =>
        Placeholder().Replace(template, m => m.Groups["step"].Success ? output(m.Groups["step"].Value) ?? "" : input);

    public static JsonObject Render(JsonObject arguments, string input, Func<string, string?> output) =>
        (JsonObject)RenderNode(arguments, input, output)!;

    public static IEnumerable<string> StepReferences(string template) =>
        Placeholder().Matches(template).Where(m => m.Groups["step"].Success).Select(m => m.Groups["step"].Value);

    private static JsonNode? RenderNode(JsonNode? node, string input, Func<string, string?> output) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, RenderNode(p.Value, input, output)))),
        JsonArray a => new JsonArray([.. a.Select(e => RenderNode(e, input, output))]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(Render(text, input, output)),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"\{\{\s*(?:input|steps\.(?<step>[A-Za-z0-9_-]{1,64})\.output)\s*\}\}")]
    private static partial Regex Placeholder();
}
