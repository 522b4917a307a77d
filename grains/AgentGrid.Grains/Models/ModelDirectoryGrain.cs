using AgentGrid.Contracts.Models;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Inference.Providers;
using Orleans.Concurrency;

namespace AgentGrid.Grains.Models;

/// <summary>
/// Answers from the local silo's configured models, any silo's activation will do, followed by the
/// model profiles with how many workers serve each.
/// </summary>
[StatelessWorker]
public sealed class ModelDirectoryGrain(ModelProbe models, EndpointCatalog catalog) : Grain, IModelDirectoryGrain
{
    public async Task<IReadOnlyList<ModelStatus>> ListAsync(bool probe)
    {
        var configured = await models.ListAsync(probe, CancellationToken.None);
        var profiles = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).ListAsync();
        var served = await Task.WhenAll(profiles.Select(async profile =>
        {
            var pool = await GrainFactory.GetGrain<IWorkerPoolGrain>(profile.Name).GetStatusAsync();
            return new ModelStatus
            {
                Name = profile.Name,
                UpstreamModel = profile.Source.ModelId,
                BaseUrl = $"workers:{profile.Name}",
                Simulated = profile.Container.Runtime == ModelRuntimes.Simulator,
                Available = pool.ReadyReplicas > 0,
                Error = pool.ReadyReplicas > 0 ? null : "no worker is ready; a request starts one if the profile allows it",
                Kind = ModelKinds.Profile,
                ReadyWorkers = pool.ReadyReplicas,
                Capabilities = profile.Capabilities,
            };
        }));
        return [.. configured, .. served];
    }

    public async Task<ModelNameList> NamesAsync()
    {
        var profiles = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).ListAsync();
        return new ModelNameList(catalog.Names, [.. profiles.Select(p => p.Name)]);
    }

    public async Task<IReadOnlyList<string>> AllNamesAsync()
    {
        var names = await NamesAsync();
        return [.. names.Endpoints, .. names.Profiles];
    }
}
