using AgentGrid.Contracts.Completions;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Completions;

public sealed class ChatCompletionGrain(ChatModelInvoker models) : Grain, IChatCompletionGrain
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
            var prompt = request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList();
            await foreach (var update in models.StreamAsync(request.Model, prompt, request.Parameters, cancel.Token))
            {
                yield return new CompletionChunk
                {
                    Delta = update.Delta,
                    FinishReason = update.FinishReason,
                    InputTokens = update.InputTokens,
                    OutputTokens = update.OutputTokens,
                };
            }
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}
