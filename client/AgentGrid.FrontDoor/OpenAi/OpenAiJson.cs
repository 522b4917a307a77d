using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>The OpenAI wire format: snake_case, absent fields left out.</summary>
public static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
