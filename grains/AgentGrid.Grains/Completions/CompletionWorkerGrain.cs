using AgentGrid.Contracts.Completions;
using Orleans.Concurrency;

namespace AgentGrid.Grains.Completions;

/// <summary>
/// Whole (non-streaming) stateless completions, on the silo's reusable local activations: for front doors that cannot
/// call the model themselves (a front door whose configuration lacks the model's endpoint).
/// </summary>
// Reentrant because it holds nothing between calls: one activation serves every concurrent request of its silo,
// where a non-reentrant stateless worker would serve one at a time per core.
[StatelessWorker]
[Reentrant]
public sealed class CompletionWorkerGrain(ModelMeter models) : Grain, ICompletionWorkerGrain
{
    public Task<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken = default) =>
        CompletionCall.CompleteAsync(models, request, cancellationToken);
}
