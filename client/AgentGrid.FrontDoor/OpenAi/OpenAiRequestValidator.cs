using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>Checks a chat-completions request and reads its messages; the first problem is reported with its parameter.</summary>
public static class OpenAiRequestValidator
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    // Accepted by OpenAI but not (yet) by AgentGrid: refused by name rather than silently ignored. The legacy
    // functions/function_call are superseded by tools/tool_choice.
    private static readonly string[] Unsupported = ["functions", "function_call", "audio", "modalities", "logprobs", "stop"];

    /// <summary>The most tools one request may offer, as OpenAI allows.</summary>
    public const int MaxTools = 128;

    public static IReadOnlyList<PromptMessage> Messages(OpenAiChatRequest request)
    {
        Require(!string.IsNullOrWhiteSpace(request.Model), "model", "model is required: an agent name or a configured model.");
        Require(request.Messages is { Count: > 0 }, "messages", "messages must be a non-empty array.");
        Require(request.Temperature is null or (>= 0 and <= 2), "temperature", "temperature must be between 0 and 2.");
        Require(request.TopP is null or (> 0 and <= 1), "top_p", "top_p must be greater than 0 and at most 1.");
        Require(request.MaxTokens is null or (>= 1 and <= Limits.MaxTokensCeiling), "max_tokens", $"max_tokens must be between 1 and {Limits.MaxTokensCeiling}.");
        Require(request.MaxCompletionTokens is null or (>= 1 and <= Limits.MaxTokensCeiling), "max_completion_tokens",
            $"max_completion_tokens must be between 1 and {Limits.MaxTokensCeiling}.");

        foreach (var field in Unsupported)
        {
            Require(request.Other?.TryGetValue(field, out var value) != true || value.ValueKind is JsonValueKind.Null or JsonValueKind.False,
                field, $"{field} is not supported by AgentGrid yet.");
        }

        Require(request.Other?.TryGetValue("n", out var n) != true || n.ValueKind == JsonValueKind.Null
            || (n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count == 1),
            "n", "n must be 1: AgentGrid returns one choice.");
        Require(request.Other?.TryGetValue("response_format", out var format) != true || format.ValueKind == JsonValueKind.Null
            || (format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String && type.GetString() == "text"),
            "response_format", "Only the text response format is supported.");

        var messages = new List<PromptMessage>(request.Messages!.Count);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            Require(message?.Role is { } role && Roles.Contains(role), $"messages[{i}].role", "role must be system, developer, user, assistant or tool.");
            var calls = message!.Role == "assistant" ? CallsOf(message, i) : null;
            var text = message.Content.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined && message.Role == "assistant" ? "" : message.Text();
            Require(text is not null, $"messages[{i}].content", "content must be a string or an array of text parts.");
            Require(text!.Length <= Limits.MaxMessageLength, $"messages[{i}].content", $"content must be at most {Limits.MaxMessageLength} characters.");
            Require(message.Role != "tool" || !string.IsNullOrEmpty(message.ToolCallId), $"messages[{i}].tool_call_id", "A tool message names the call it answers in tool_call_id.");
            messages.Add(new PromptMessage(message.Role == "developer" ? "system" : message.Role!, text)
            {
                ToolCalls = calls, ToolCallId = message.Role == "tool" ? message.ToolCallId : null,
            });
        }

        return messages;
    }

    /// <summary>The tools the request offers and its tool choice; null when it offers none.</summary>
    public static (IReadOnlyList<ToolDeclaration> Tools, string Choice)? Tools(OpenAiChatRequest request)
    {
        var choice = request.ToolChoice switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } s when s.GetString() is "auto" or "none" or "required" => s.GetString(),
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
                && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
            _ => throw AgentGridException.Validation("tool_choice", "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}."),
        };
        if (request.Tools is not { Count: > 0 } offered)
        {
            Require(choice is null or "none" or "auto", "tool_choice", "tool_choice needs tools.");
            return null;
        }

        Require(offered.Count <= MaxTools, "tools", $"At most {MaxTools} tools.");
        var tools = new List<ToolDeclaration>(offered.Count);
        for (var i = 0; i < offered.Count; i++)
        {
            var function = offered[i]?.Function;
            Require(offered[i]?.Type == "function" && function is not null, $"tools[{i}].type", "Each tool must be {\"type\":\"function\",\"function\":{…}}.");
            Require(function!.Name is { Length: > 0 and <= 64 } name && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'),
                $"tools[{i}].function.name", "A function's name is 1 to 64 letters, digits, '_' or '-'.");
            Require(tools.All(t => t.Name != function.Name), $"tools[{i}].function.name", $"Two tools are named '{function.Name}'.");
            Require(function.Parameters is null || function.Parameters.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null,
                $"tools[{i}].function.parameters", "parameters must be a JSON Schema object.");
            tools.Add(new ToolDeclaration
            {
                Name = function.Name!, Description = function.Description,
                Parameters = function.Parameters is { ValueKind: JsonValueKind.Object } schema ? schema.GetRawText() : "{\"type\":\"object\",\"properties\":{}}",
            });
        }

        Require(choice is null or "auto" or "none" or "required" || tools.Any(t => t.Name == choice), "tool_choice", $"tool_choice names '{choice}', which is not among the tools.");
        return (tools, choice ?? "auto");
    }

    private static IReadOnlyList<ToolCall>? CallsOf(OpenAiMessage message, int index)
    {
        if (message.ToolCalls is not { Count: > 0 } calls)
        {
            return null;
        }

        var result = new List<ToolCall>(calls.Count);
        for (var j = 0; j < calls.Count; j++)
        {
            var call = calls[j];
            Require(call is { Id.Length: > 0, Function.Name.Length: > 0 } && (call.Type ?? "function") == "function", $"messages[{index}].tool_calls[{j}]",
                "Each tool call has an id, type \"function\" and a function with a name and arguments.");
            result.Add(new ToolCall { Id = call!.Id!, Name = call.Function!.Name!, Arguments = string.IsNullOrEmpty(call.Function.Arguments) ? "{}" : call.Function.Arguments });
        }

        return result;
    }

    private static void Require(bool condition, string param, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(param, message);
        }
    }
}
