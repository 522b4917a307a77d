using System.Text.Json;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Reads the fields of a built-in tool's JSON input, refusing wrong types as <c>validation_failed</c>.</summary>
internal static class ToolInput
{
    public static string Required(JsonObject input, string name) =>
        Optional(input, name) is { Length: > 0 } value
            ? value
            : throw AgentGridException.Validation(name, $"'{name}' is required.");

    public static string? Optional(JsonObject input, string name)
    {
        if (!input.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw AgentGridException.Validation(name, $"'{name}' must be a string.");
    }

    public static AgentGridException Failed(string message) => new(ErrorCodes.ToolFailed, message);
}
