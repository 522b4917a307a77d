namespace AgentGrid.Contracts.Profiles;

/// <summary>
/// Every model profile of the grid: the ones shipped as files on the silos and the ones created
/// through the API (stored). One per cluster, key <c>0</c>; read-mostly and off the request path.
/// </summary>
// The alias is its wire name from before the rename, so silos and front doors of both versions understand each other.
[Alias("agentgrid.IModelRegistryGrain")]
public interface IProfileRegistryGrain : IGrainWithIntegerKey
{
    [Alias("list")] Task<IReadOnlyList<ModelProfile>> ListAsync();

    /// <summary>The profile, or null if there is none by that name.</summary>
    [Alias("get")] Task<ModelProfile?> GetAsync(string name);

    /// <summary>
    /// Parses <paramref name="document"/> (YAML, or JSON in the same snake_case schema), validates and stores it;
    /// <c>validation_failed</c> naming the field, or <c>profile_already_exists</c> if the name is taken.
    /// </summary>
    [Alias("create")] Task<ModelProfile> CreateAsync(string document);

    /// <summary>
    /// Deletes a profile created through the API; <c>profile_not_found</c> if there is none, <c>validation_failed</c>
    /// for a profile shipped as a file. Its running workers are not stopped.
    /// </summary>
    [Alias("delete")] Task DeleteAsync(string name);

    /// <summary>Pins a profile's replica count (the autoscaler holds it), or clears the pin with null; <c>profile_not_found</c> if there is none.</summary>
    [Alias("pin")] Task PinReplicasAsync(string name, int? replicas);

    /// <summary>The pinned replica count of a profile, or null when the autoscaler decides.</summary>
    [Alias("pinned")] Task<int?> PinnedReplicasAsync(string name);

    /// <summary>The most replicas a pin may ask for.</summary>
    public const int MaxPinnedReplicas = 1000;

    /// <summary>The most profiles the API may create; more are refused until some are deleted.</summary>
    public const int MaxCreated = 200;
}
