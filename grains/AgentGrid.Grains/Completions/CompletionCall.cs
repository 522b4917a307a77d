using AgentGrid.Contracts.Completions;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Completions;

/// <summary>A stateless completion request as a metered model call: its prompt, its tools and the affinity of its prefix.</summary>
internal static class CompletionCall
{
    public static IAsyncEnumerable<CompletionChunk> StreamAsync(ModelMeter models, CompletionRequest request, CancellationToken cancellationToken) =>
        Chunks(models.StreamAsync(Metered(request), [.. request.Messages.Select(MessageOf)], request.Parameters, PrefixKey(request), cancellationToken, Tools(request)));

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
