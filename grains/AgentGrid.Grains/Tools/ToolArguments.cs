using System.Text.Json;

namespace AgentGrid.Grains.Tools;

/// <summary>Tool-call arguments as approvers see them.</summary>
internal static class ToolArguments
{
    /// <summary>Whether two JSON texts hold the same value, whatever their spacing and key order; text that is not JSON equals nothing.</summary>
    public static bool Same(string a, string b)
    {
        try
        {
            return JsonElement.DeepEquals(JsonDocument.Parse(a).RootElement, JsonDocument.Parse(b).RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
