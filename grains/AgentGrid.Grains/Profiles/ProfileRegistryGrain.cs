using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Profiles;

namespace AgentGrid.Grains.Profiles;

// Its grain type keeps the name it was stored under before the rename.
[GrainType("modelregistry")]
public sealed class ProfileRegistryGrain(
    [PersistentState("model-registry", GridNames.StateStore)] IPersistentState<ProfileRegistryState> state,
    ProfileFiles files,
    Microsoft.Extensions.Options.IOptions<Gpu.GpuOptions> gpu) : Grain, IProfileRegistryGrain
{
    public Task<IReadOnlyList<ModelProfile>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ModelProfile>>([.. All().OrderBy(p => p.Category, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)]);

    public Task<ModelProfile?> GetAsync(string name) => Task.FromResult(Find(name));

    public async Task<ModelProfile> CreateAsync(string document)
    {
        var profile = ProfileParser.Parse(document, "api");
        if (ProfileLaunchRules.RunsOperatorCode(profile) && !gpu.Value.AllowApiCommands)
        {
            // A command line, extra arguments or an environment run on every GPU node: operator power, not an API user's.
            throw new AgentGridException(ErrorCodes.CustomCommandNotAllowed,
                "Profiles created through the API may not carry container.command, extra_args or container.env: they run on every GPU node. " +
                $"Put the profile in the silos' profile folder, or have the operator set {Gpu.GpuOptions.SectionName}:AllowApiCommands=true.", "container.command");
        }
        if (Find(profile.Name) is { } existing)
        {
            throw new AgentGridException(ErrorCodes.ProfileExists,
                $"A profile named '{profile.Name}' already exists ({existing.Origin}).", "name");
        }

        if (state.State.Created.Count >= IProfileRegistryGrain.MaxCreated)
        {
            throw AgentGridException.Validation("name", $"The grid already has {IProfileRegistryGrain.MaxCreated} profiles created through the API, the most allowed; delete some first.");
        }

        var stored = profile with { Origin = "api" };
        state.State.Created[stored.Name] = stored;
        await this.WriteOrDeactivateAsync(state);
        return stored;
    }

    public async Task DeleteAsync(string name)
    {
        if (files.Find(name) is not null)
        {
            throw AgentGridException.Validation("name", $"Profile '{name}' is shipped as a file; remove the file from the silos' profile folder instead.");
        }

        if (!state.State.Created.Remove(name))
        {
            throw new AgentGridException(ErrorCodes.ProfileNotFound, $"Profile '{name}' does not exist.");
        }

        // A profile created again under this name starts without the old one's pin.
        state.State.PinnedReplicas.Remove(name);

        await this.WriteOrDeactivateAsync(state);
    }

    public async Task PinReplicasAsync(string name, int? replicas)
    {
        if (Find(name) is null)
        {
            throw new AgentGridException(ErrorCodes.ProfileNotFound, $"Profile '{name}' does not exist.");
        }

        if (replicas is < 0 or > IProfileRegistryGrain.MaxPinnedReplicas)
        {
            throw AgentGridException.Validation("replicas", $"replicas must be between 0 and {IProfileRegistryGrain.MaxPinnedReplicas}, or null to let the autoscaler decide.");
        }

        if (replicas is { } count)
        {
            state.State.PinnedReplicas[name] = count;
        }
        else
        {
            state.State.PinnedReplicas.Remove(name);
        }

        await this.WriteOrDeactivateAsync(state);
    }

    public Task<int?> PinnedReplicasAsync(string name) =>
        Task.FromResult<int?>(state.State.PinnedReplicas.TryGetValue(name, out var count) ? count : null);

    private ModelProfile? Find(string name) => files.Find(name) ?? state.State.Created.GetValueOrDefault(name);

    private IEnumerable<ModelProfile> All() => files.Profiles.Concat(state.State.Created.Values.Where(p => files.Find(p.Name) is null));
}
