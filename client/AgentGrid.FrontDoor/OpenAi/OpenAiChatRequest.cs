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

    /// <summary>Functions the model may call; the caller runs them and sends back <c>tool</c> messages.</summary>
    public List<OpenAiTool>? Tools { get; set; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    [JsonPropertyName("tool_choice")] public JsonElement? ToolChoice { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class OpenAiStreamOptions
{
    [JsonPropertyName("include_usage")] public bool IncludeUsage { get; set; }
}

public sealed class OpenAiTool
{
    public string? Type { get; set; }
    public OpenAiFunction? Function { get; set; }
}

public sealed class OpenAiFunction
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Parameters { get; set; }
}

/// <summary>A tool call, as the model makes it (in a response) and as the caller sends it back (in an assistant message).</summary>
public sealed record OpenAiToolCall(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index, string? Id, string? Type, OpenAiCallFunction? Function);

public sealed record OpenAiCallFunction(string? Name, string? Arguments);

public sealed class OpenAiMessage
{
    public string? Role { get; set; }

    /// <summary>On an assistant message: the tools it called.</summary>
    [JsonPropertyName("tool_calls")] public List<OpenAiToolCall>? ToolCalls { get; set; }

    /// <summary>On a tool message: the call it answers.</summary>
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; set; }

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
