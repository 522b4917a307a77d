using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>Checks a chat-completions request and reads its messages; the first problem is reported with its parameter.</summary>
public static class OpenAiRequestValidator
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant"];

    // Accepted by OpenAI but not (yet) by AgentGrid: refused by name rather than silently ignored.
    private static readonly string[] Unsupported = ["tools", "functions", "tool_choice", "function_call", "audio", "modalities", "logprobs", "stop"];

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
            Require(message?.Role is { } role && Roles.Contains(role), $"messages[{i}].role",
                message?.Role == "tool" ? "tool messages are not supported by AgentGrid yet." : "role must be system, developer, user or assistant.");
            var text = message!.Content.ValueKind == JsonValueKind.Null && message.Role == "assistant" ? "" : message.Text();
            Require(text is not null, $"messages[{i}].content", "content must be a string or an array of text parts.");
            Require(text!.Length <= Limits.MaxMessageLength, $"messages[{i}].content", $"content must be at most {Limits.MaxMessageLength} characters.");
            messages.Add(new PromptMessage(message.Role == "developer" ? "system" : message.Role!, text));
        }

        return messages;
    }

    private static void Require(bool condition, string param, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(param, message);
        }
    }
}
