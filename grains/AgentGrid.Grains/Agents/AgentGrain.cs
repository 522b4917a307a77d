using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Agents;

/// <summary>One agent and its version history; names are claimed in the tenant's <see cref="IAgentIndexGrain"/>.</summary>
public sealed class AgentGrain(
    [PersistentState("agent", GridNames.StateStore)] IPersistentState<AgentState> state,
    AgentDefinitionValidator validator,
    TimeProvider time,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private IAgentIndexGrain Index => GrainFactory.GetGrain<IAgentIndexGrain>(Key.Tenant);

    public async Task<Agent> CreateAsync(AgentDefinition definition)
    {
        if (state.State.Current is not null)
        {
            throw new AgentGridException(ErrorCodes.AgentExists, $"Agent '{Key.Id}' already exists.");
        }

        var normalized = validator.Normalize(definition);
        await ClaimNameAsync(normalized.Name);
        try
        {
            await CommitAsync(normalized, rolledBackFrom: null);
        }
        catch
        {
            await Index.ReleaseNameAsync(normalized.Name, Key.Id);
            throw;
        }

        logger.LogInformation("Agent {AgentKey} created with model {Model}", this.GetPrimaryKeyString(), normalized.Model);
        return state.State.Current!;
    }

    public Task<Agent> GetAsync() => Task.FromResult(Existing());

    public async Task<Agent> UpdateAsync(AgentDefinition definition)
    {
        Existing();
        return await ReplaceAsync(validator.Normalize(definition), rolledBackFrom: null);
    }

    public Task<IReadOnlyList<AgentVersion>> GetVersionsAsync()
    {
        Existing();
        return Task.FromResult<IReadOnlyList<AgentVersion>>(state.State.Versions);
    }

    public async Task<Agent> RollbackAsync(int version)
    {
        Existing();
        var target = state.State.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw new AgentGridException(ErrorCodes.AgentVersionNotFound,
                $"Agent '{Key.Id}' has no version {version}; it has versions 1 to {state.State.Versions.Count}.");
        return await ReplaceAsync(target.Definition, rolledBackFrom: version);
    }

    public async Task DeleteAsync()
    {
        var current = Existing();
        await state.ClearStateAsync();
        await Index.RemoveAsync(Key.Id);
        await Index.ReleaseNameAsync(current.Name, Key.Id);
        logger.LogInformation("Agent {AgentKey} deleted", this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    private async Task<Agent> ReplaceAsync(AgentDefinition definition, int? rolledBackFrom)
    {
        var previousName = Existing().Name;
        var renamed = !NameKey(previousName).Equals(NameKey(definition.Name), StringComparison.Ordinal);
        if (renamed)
        {
            await ClaimNameAsync(definition.Name);
        }

        try
        {
            await CommitAsync(definition, rolledBackFrom);
        }
        catch when (renamed)
        {
            await Index.ReleaseNameAsync(definition.Name, Key.Id);
            throw;
        }

        if (renamed)
        {
            await Index.ReleaseNameAsync(previousName, Key.Id);
        }

        return state.State.Current!;
    }

    private async Task CommitAsync(AgentDefinition definition, int? rolledBackFrom)
    {
        var now = time.GetUtcNow();
        var version = state.State.Versions.Count + 1;
        var agent = new Agent
        {
            Id = Key.Id,
            Name = definition.Name,
            Description = definition.Description,
            SystemPrompt = definition.SystemPrompt,
            Model = definition.Model!,
            Parameters = definition.Parameters,
            Version = version,
            CreatedAt = state.State.Current?.CreatedAt ?? now,
            UpdatedAt = now,
            Variables = PromptTemplate.Variables(definition.SystemPrompt),
        };

        state.State.Versions.Add(new AgentVersion { Version = version, Definition = definition, CreatedAt = now, RolledBackFrom = rolledBackFrom });
        state.State.Current = agent;
        await this.WriteOrDeactivateAsync(state);

        await Index.UpsertAsync(AgentSummary.From(agent));
    }

    private async Task ClaimNameAsync(string name)
    {
        if (!await Index.TryClaimNameAsync(name, Key.Id))
        {
            throw new AgentGridException(ErrorCodes.AgentNameConflict, $"An agent named '{name}' already exists.", "name");
        }
    }

    private Agent Existing() => state.State.Current ?? throw AgentGridException.AgentNotFound(Key.Id);

    internal static string NameKey(string name) => name.Trim().ToLowerInvariant();
}
