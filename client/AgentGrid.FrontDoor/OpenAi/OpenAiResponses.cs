namespace AgentGrid.FrontDoor.OpenAi;

// Response shapes of the OpenAI chat-completions API.

public sealed record OpenAiUsage(long PromptTokens, long CompletionTokens)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}

public sealed record OpenAiOutMessage(string? Role, string? Content, IReadOnlyList<OpenAiToolCall>? ToolCalls = null)
{
    /// <summary>The model's calls as OpenAI writes them, numbered for streaming.</summary>
    public static IReadOnlyList<OpenAiToolCall>? CallsOf(IReadOnlyList<AgentGrid.Contracts.Tools.ToolCall>? calls, int first = 0) =>
        calls is { Count: > 0 } ? [.. calls.Select((c, i) => new OpenAiToolCall(first + i, c.Id, "function", new OpenAiCallFunction(c.Name, c.Arguments)))] : null;
}

public sealed record OpenAiChoice(
    int Index,
    OpenAiOutMessage? Message,
    OpenAiOutMessage? Delta,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? FinishReason);

/// <param name="Citations">AgentGrid's extra field: the knowledge-base passages a session reply drew on.</param>
public sealed record OpenAiCompletion(string Id, string Object, long Created, string Model, IReadOnlyList<OpenAiChoice> Choices, OpenAiUsage? Usage,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AgentGrid.Contracts.Knowledge.Citation>? Citations = null)
{
    public static OpenAiCompletion Whole(string id, long created, string model, string text, string finishReason, OpenAiUsage usage,
        IReadOnlyList<AgentGrid.Contracts.Knowledge.Citation>? citations = null, IReadOnlyList<AgentGrid.Contracts.Tools.ToolCall>? calls = null) =>
        new(id, "chat.completion", created, model,
            [new OpenAiChoice(0, new OpenAiOutMessage("assistant", calls is { Count: > 0 } && text.Length == 0 ? null : text,
                calls is { Count: > 0 } ? [.. calls.Select(c => new OpenAiToolCall(null, c.Id, "function", new OpenAiCallFunction(c.Name, c.Arguments)))] : null), null, finishReason)],
            usage, citations);

    public static OpenAiCompletion Chunk(string id, long created, string model, OpenAiOutMessage delta, string? finishReason = null,
        IReadOnlyList<AgentGrid.Contracts.Knowledge.Citation>? citations = null) =>
        new(id, "chat.completion.chunk", created, model, [new OpenAiChoice(0, null, delta, finishReason)], null, citations);

    public static OpenAiCompletion UsageChunk(string id, long created, string model, OpenAiUsage usage) =>
        new(id, "chat.completion.chunk", created, model, [], usage);
}

/// <summary>A model as <c>GET /v1/models</c> lists it; <c>capabilities</c> is AgentGrid's addition (absent: an endpoint that declares none).</summary>
public sealed record OpenAiModel(string Id, string Object, long Created, string OwnedBy, IReadOnlyList<string>? Capabilities = null);

public sealed record OpenAiModelList(string Object, IReadOnlyList<OpenAiModel> Data);

public sealed record OpenAiError(string Message, string Type, string? Code, string? Param);

public sealed record OpenAiErrorBody(OpenAiError Error);
