using AgentGrid.Contracts.Completions;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Completions;

public sealed class ChatCompletionGrain(ChatModelInvoker models) : Grain, IChatCompletionGrain
{
    // When the caller stops enumerating, this enumeration is disposed, which closes the backend stream.
    public async IAsyncEnumerable<CompletionChunk> StreamAsync(CompletionRequest request)
    {
        try
        {
            var prompt = request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList();
            await foreach (var update in models.StreamAsync(request.Model, prompt, request.Parameters, CancellationToken.None))
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
