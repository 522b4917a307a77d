using System.Text;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Tools;
using Orleans.Concurrency;

namespace AgentGrid.Grains.Completions;

/// <summary>Whole (non-streaming) stateless completions, on the silo's reusable local activations.</summary>
// Reentrant because it holds nothing between calls: one activation serves every concurrent request of its silo,
// where a non-reentrant stateless worker would serve one at a time per core.
[StatelessWorker]
[Reentrant]
public sealed class CompletionWorkerGrain(Usage.ModelMeter models) : Grain, ICompletionWorkerGrain
{
    public async Task<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var calls = new List<ToolCall>();
        CompletionChunk last = new();
        await foreach (var chunk in CompletionCall.StreamAsync(models, request, cancellationToken))
        {
            text.Append(chunk.Delta);
            calls.AddRange(chunk.ToolCalls ?? []);
            last = new CompletionChunk
            {
                FinishReason = chunk.FinishReason ?? last.FinishReason,
                InputTokens = chunk.InputTokens ?? last.InputTokens,
                OutputTokens = chunk.OutputTokens ?? last.OutputTokens,
            };
        }

        return last with { Delta = text.ToString(), ToolCalls = calls.Count > 0 ? calls : null };
    }
}
