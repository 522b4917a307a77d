using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Completions;
using AgentGrid.Inference.Calls;
using AgentGrid.Inference.Providers;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>
/// Where a stateless completion is made. In this process whenever it can call the model itself, so no grain activation
/// serves the request: a configured endpoint of its own <c>AgentGrid:Inference</c>, or a model profile, whose pool grain
/// leases a worker (the pool stays the one place that picks workers) whose server is then called directly. The call is
/// metered exactly as on a silo (<see cref="ModelMeter"/>: the key's and tenant's limits and budgets, then the ledger).
/// A model configured only on the silos goes to a silo's completion worker (whole replies) or a completion grain (streams).
/// </summary>
public sealed class CompletionPlane(IGrainFactory grains, EndpointCatalog catalog, ModelMeter meter, Models.ModelNames names)
{
    public async Task<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken) =>
        await IsLocalAsync(request.Model)
            ? await CompletionCall.CompleteAsync(meter, request, cancellationToken)
            // Whole replies need no enumeration to follow, so any activation of the silo's stateless workers serves them.
            : await grains.GetGrain<ICompletionWorkerGrain>(0).CompleteAsync(request, cancellationToken);

    public async IAsyncEnumerable<CompletionChunk> StreamAsync(CompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await IsLocalAsync(request.Model))
        {
            await foreach (var chunk in CompletionCall.StreamAsync(meter, request, cancellationToken))
            {
                yield return chunk;
            }

            yield break;
        }

        var completion = grains.GetGrain<IChatCompletionGrain>(Guid.NewGuid());
        await using var stop = cancellationToken.Register(() => completion.CancelAsync().Ignore());
        await foreach (var chunk in completion.StreamAsync(request, cancellationToken))
        {
            yield return chunk;
        }
    }

    private async ValueTask<bool> IsLocalAsync(string model) => catalog.Contains(model) || await names.IsProfileAsync(model);
}
