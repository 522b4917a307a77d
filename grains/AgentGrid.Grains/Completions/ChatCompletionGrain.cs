using AgentGrid.Contracts.Completions;
using AgentGrid.Inference.Providers;
using AgentGrid.Grains.Workers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Completions;

public sealed class ChatCompletionGrain(Usage.ModelMeter models) : Grain, IChatCompletionGrain
{
    private readonly CancellationTokenSource _cancel = new();

    public Task CancelAsync()
    {
        _cancel.Cancel();
        return Task.CompletedTask;
    }

    // When the caller stops enumerating, the token is cancelled and the backend request with it, even before a first token.
    public async IAsyncEnumerable<CompletionChunk> StreamAsync(
        CompletionRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancel.Token);
        try
        {
            var prompt = request.Messages.Select(MessageOf).ToList();
            var call = new Usage.MeteredCall(request.Caller, request.Model, request.AgentId, Usage.MeteredCall.Completion);
            var tools = request.Tools is { Count: > 0 } declared ? new ModelTools(declared, request.ToolChoice ?? ModelTools.Auto) : null;
            await foreach (var update in models.StreamAsync(call, prompt, request.Parameters, PrefixKey(request), cancel.Token, tools))
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
        finally
        {
            // One activation per request: it goes soon, but not at once. The caller's last MoveNext (which reads the
            // end of the enumeration) may still be on its way, and would find a fresh activation with no record of it.
            this.RegisterGrainTimer(() => { DeactivateOnIdle(); return Task.CompletedTask; },
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan));
        }
    }

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
