using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>The body of <c>POST /v1/chat/completions</c>, as the OpenAI API defines it (the fields AgentGrid uses).</summary>
public sealed class OpenAiChatRequest
{
    public string? Model { get; set; }
    public List<OpenAiMessage>? Messages { get; set; }
    public bool? Stream { get; set; }
    public double? Temperature { get; set; }
    [JsonPropertyName("top_p")] public double? TopP { get; set; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }
    [JsonPropertyName("max_completion_tokens")] public int? MaxCompletionTokens { get; set; }
    [JsonPropertyName("stream_options")] public OpenAiStreamOptions? StreamOptions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class OpenAiStreamOptions
{
    [JsonPropertyName("include_usage")] public bool IncludeUsage { get; set; }
}

public sealed class OpenAiMessage
{
    public string? Role { get; set; }

    /// <summary>A string, or an array of content parts of which the text parts are read.</summary>
    public JsonElement Content { get; set; }

    /// <summary>The text, or null when the content is neither a string nor text parts.</summary>
    public string? Text() => Content.ValueKind switch
    {
        JsonValueKind.String => Content.GetString(),
        JsonValueKind.Array when Content.EnumerateArray().All(IsTextPart) =>
            string.Concat(Content.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
        _ => null,
    };

    private static bool IsTextPart(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object
        && part.TryGetProperty("type", out var type) && type.GetString() == "text"
        && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String;
}
