using AgentGrid.Contracts.Models;
using AgentGrid.Inference.Providers;
using Orleans.Concurrency;

namespace AgentGrid.Grains.Models;

/// <summary>Answers from the local silo's configured models; any silo's activation will do.</summary>
[StatelessWorker]
public sealed class ModelCatalogGrain(ModelProbe models) : Grain, IModelCatalogGrain
{
    public Task<IReadOnlyList<ModelStatus>> ListAsync(bool probe) => models.ListAsync(probe, CancellationToken.None);
}
