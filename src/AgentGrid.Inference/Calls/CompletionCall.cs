using System.Text;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Tools;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// A stateless completion request as a metered model call: its prompt, its tools and the affinity of its prefix.
/// Made wherever the request is served: in the front door's process, or on a silo's completion worker.
/// </summary>
public static class CompletionCall
{
    /// <summary>The reply as it is generated.</summary>
    public static IAsyncEnumerable<CompletionChunk> StreamAsync(ModelMeter models, CompletionRequest request, CancellationToken cancellationToken) =>
        Chunks(models.StreamAsync(Metered(request), [.. request.Messages.Select(MessageOf)], request.Parameters, PrefixKey(request), cancellationToken, Tools(request)));

    /// <summary>The whole reply, asked of the backend in one piece.</summary>
    public static async Task<CompletionChunk> CompleteAsync(ModelMeter models, CompletionRequest request, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        List<ToolCall>? calls = null;
        CompletionChunk last = new();
        var updates = models.StreamAsync(Metered(request), [.. request.Messages.Select(MessageOf)], request.Parameters, PrefixKey(request), cancellationToken, Tools(request), whole: true);
        await foreach (var chunk in Chunks(updates))
        {
            text.Append(chunk.Delta);
            if (chunk.ToolCalls is { Count: > 0 } made)
            {
                (calls ??= []).AddRange(made);
            }

            last = new CompletionChunk
            {
                FinishReason = chunk.FinishReason ?? last.FinishReason,
                InputTokens = chunk.InputTokens ?? last.InputTokens,
                OutputTokens = chunk.OutputTokens ?? last.OutputTokens,
            };
        }

        return last with { Delta = text.ToString(), ToolCalls = calls };
    }

    private static async IAsyncEnumerable<CompletionChunk> Chunks(IAsyncEnumerable<ModelUpdate> updates)
    {
        await foreach (var update in updates)
        {
            yield return new CompletionChunk
            {
                Delta = update.Delta,
                FinishReason = update.FinishReason,
                InputTokens = update.InputTokens,
                OutputTokens = update.OutputTokens,
                ToolCalls = update.ToolCalls,
            };
        }
    }

    private static MeteredCall Metered(CompletionRequest request) => new(request.Caller, request.Model, request.AgentId, MeteredCall.Completion);

    private static ModelTools? Tools(CompletionRequest request) =>
        request.Tools is { Count: > 0 } declared ? new ModelTools(declared, request.ToolChoice ?? ModelTools.Auto) : null;

    private static ChatMessage MessageOf(PromptMessage message) => message switch
    {
        { Role: "tool" } => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId ?? "", message.Content)]),
        { ToolCalls: { Count: > 0 } calls } => new ChatMessage(ChatRole.Assistant,
            [.. message.Content.Length > 0 ? [new TextContent(message.Content)] : Array.Empty<AIContent>(), .. calls.Select(ModelTools.ContentOf)]),
        _ => new ChatMessage(new ChatRole(message.Role), message.Content),
    };

    // Stateless requests sharing a system prompt and opening message share a prefix: route them together.
    private static string PrefixKey(CompletionRequest request) =>
        "prefix:" + string.Join("\u001f", request.Messages.Take(2).Select(m => m.Role + ":" + (m.Content.Length > 512 ? m.Content[..512] : m.Content)));
}
