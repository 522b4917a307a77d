using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentGrid.Inference.Simulator;

// The subset of the OpenAI chat-completions wire format that the simulator reads and writes.

internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }
    public List<WireMessage>? Messages { get; set; }
    public bool Stream { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public WireStreamOptions? StreamOptions { get; set; }
    public List<WireTool>? Tools { get; set; }

    /// <summary>vLLM's <c>cache_salt</c>: requests share cached prefix blocks only with requests of the same salt.</summary>
    public string? CacheSalt { get; set; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c>, or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public JsonElement ToolChoice { get; set; }
}

internal sealed class WireTool
{
    public string? Type { get; set; }
    public WireFunction? Function { get; set; }
}

internal sealed class WireFunction
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement Parameters { get; set; }
}

internal sealed record WireToolCall(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index,
    string Id, string Type, WireCallFunction Function);

internal sealed record WireCallFunction(string Name, string Arguments);

internal sealed class WireStreamOptions
{
    public bool IncludeUsage { get; set; }
}

internal sealed class WireMessage
{
    public string? Role { get; set; }

    /// <summary>A string, or an array of content parts of which the text parts count.</summary>
    public JsonElement Content { get; set; }

    public List<WireToolCall>? ToolCalls { get; set; }
    public string? ToolCallId { get; set; }

    public string Text() => Content.ValueKind switch
    {
        JsonValueKind.String => Content.GetString() ?? "",
        JsonValueKind.Array => string.Concat(Content.EnumerateArray()
            .Where(p => p.TryGetProperty("type", out var t) && t.GetString() == "text")
            .Select(p => p.TryGetProperty("text", out var text) ? text.GetString() : "")),
        _ => "",
    };
}

internal sealed record WirePromptDetails(int CachedTokens);

internal sealed record WireUsage(int PromptTokens, int CompletionTokens, WirePromptDetails PromptTokensDetails)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

internal sealed record WireChoice(int Index, WireOutMessage? Message, WireOutMessage? Delta, string? FinishReason);

internal sealed record WireOutMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WireToolCall>? ToolCalls = null);

internal sealed record WireCompletion(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<WireChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WireUsage? Usage);

internal sealed record WireError(string Message, string Type, string? Code, string? Param);

internal sealed record WireErrorBody(WireError Error);

internal static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
