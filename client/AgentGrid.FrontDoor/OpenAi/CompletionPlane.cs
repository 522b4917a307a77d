using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Completions;
using AgentGrid.Inference.Calls;
using AgentGrid.Inference.Providers;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>
/// Where a stateless completion is made. In this process whenever it can call the model itself, so no grain activation
/// serves the request: a configured endpoint of its own <c>AgentGrid:Inference</c> (whose key it has), or, when this
/// process is also a silo, a model profile, whose pool grain leases a worker (the pool stays the one place that picks
/// workers) whose server is then called directly. The call is metered exactly as on a silo (<see cref="ModelMeter"/>:
/// the key's and tenant's limits and budgets, then the ledger). Anything else goes to a silo: its completion worker for
/// whole replies, a completion grain for streams. A front door of its own leaves profiles to the silos because workers'
/// servers are reachable from the silos (often on the node's loopback), not necessarily from it.
/// </summary>
public sealed class CompletionPlane(IGrainFactory grains, EndpointCatalog catalog, ModelMeter meter, Models.ModelNames names, IServiceProvider services)
{
    private readonly bool _inSilo = services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails)) is not null;

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

    private async ValueTask<bool> IsLocalAsync(string model) =>
        catalog.CanCall(model) || (_inSilo && !catalog.Contains(model) && await names.IsProfileAsync(model));
}
