namespace AgentGrid.Contracts.Models;

/// <summary>
/// The models this grid's silos are configured with. A stateless worker, so the front door can ask
/// without knowing the silo configuration and the question never queues behind one activation.
/// </summary>
// The alias is its wire name from before the rename, so silos and front doors of both versions understand each other.
[Alias("agentgrid.IModelCatalogGrain")]
public interface IModelDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Every configured model; when <paramref name="probe"/> is set, each backend is asked whether it answers.</summary>
    [Alias("list")] Task<IReadOnlyList<ModelStatus>> ListAsync(bool probe);

    /// <summary>The names a request may use as its model: configured models and model profiles, without their status.</summary>
    [Alias("name-list")] Task<ModelNameList> NamesAsync();

    /// <summary>Every name as one list, for front doors of the previous version during a rolling upgrade.</summary>
    [Alias("names")] Task<IReadOnlyList<string>> AllNamesAsync();
}

/// <summary>The model names of a grid: its silos' configured endpoints, and its model profiles.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.ModelNameList")]
public sealed record ModelNameList([property: Id(0)] IReadOnlyList<string> Endpoints, [property: Id(1)] IReadOnlyList<string> Profiles);
