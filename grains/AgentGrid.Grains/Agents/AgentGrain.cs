using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Identity;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Agents;

/// <summary>
/// One agent and its version history. Its name is claimed in the tenant's <see cref="IAgentIndexGrain"/>
/// before the agent is stored, and confirmed there after; an index update that fails is retried on a
/// timer and on the next activation, so the index catches up with what was stored.
/// </summary>
public sealed partial class AgentGrain(
    [PersistentState("agent", GridNames.StateStore)] IPersistentState<AgentState> state,
    AgentDefinitionValidator validator,
    Microsoft.Extensions.Options.IOptions<TenantCapsOptions> caps,
    TimeProvider time,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    private static readonly TimeSpan IndexRetryPeriod = TimeSpan.FromSeconds(10);
    private IGrainTimer? _indexRetry;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private IAgentIndexGrain Index => GrainFactory.GetGrain<IAgentIndexGrain>(Key.Tenant);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Current is { } current && state.State.IndexedVersion != current.Version)
        {
            await TrySyncIndexAsync();
        }
    }

    public async Task<Agent> CreateAsync(AgentDefinition definition)
    {
        if (state.State.Current is not null)
        {
            throw new AgentGridException(ErrorCodes.AgentExists, $"Agent '{Key.Id}' already exists.");
        }

        var normalized = await validator.NormalizeAsync(definition, Key.Tenant);
        await ClaimNameAsync(normalized.Name);
        try
        {
            await CommitAsync(normalized, rolledBackFrom: null);
        }
        catch
        {
            await UndoClaimAsync(Index.RemoveAsync(Key.Id));
            throw;
        }

        LogCreated(logger, this.GetPrimaryKeyString(), normalized.Model!);
        await TrySyncIndexAsync();
        return state.State.Current!;
    }

    public Task<Agent> GetAsync() => Task.FromResult(Existing());

    public async Task<Agent> UpdateAsync(AgentDefinition definition)
    {
        Existing();
        return await ReplaceAsync(await validator.NormalizeAsync(definition, Key.Tenant), rolledBackFrom: null);
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

        // The old version must still be valid today: its model may have been removed from the configuration.
        return await ReplaceAsync(await validator.NormalizeAsync(target.Definition, Key.Tenant), rolledBackFrom: version);
    }

    public async Task DeleteAsync()
    {
        var existed = state.State.Current is not null;
        if (existed)
        {
            await state.ClearStateAsync();
        }

        // Also when the agent is already gone: a delete whose index update failed can be repeated.
        await Index.RemoveAsync(Key.Id);
        if (!existed)
        {
            throw AgentGridException.AgentNotFound(Key.Id);
        }

        LogDeleted(logger, this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    private async Task<Agent> ReplaceAsync(AgentDefinition definition, int? rolledBackFrom)
    {
        var previous = Existing();
        TenantCaps.EnsureRoomForOneMore(state.State.Versions.Count, caps.Value.AgentVersions, "versions", $"Agent '{Key.Id}'",
            "create a new agent from its definition to change it further");
        var renamed = AgentIndexGrain.NameKey(previous.Name) != AgentIndexGrain.NameKey(definition.Name);
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
            // Confirming the stored summary again gives the new name back.
            await UndoClaimAsync(Index.UpsertAsync(AgentSummary.From(previous)));
            throw;
        }

        await TrySyncIndexAsync();
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
            KnowledgeBases = definition.KnowledgeBases ?? [],
            Memory = definition.Memory ?? new AgentMemorySettings(),
            Tools = definition.Tools ?? [],
            McpServers = definition.McpServers ?? [],
            Version = version,
            CreatedAt = state.State.Current?.CreatedAt ?? now,
            UpdatedAt = now,
            Variables = PromptTemplate.Variables(definition.SystemPrompt),
        };

        state.State.Versions.Add(new AgentVersion { Version = version, Definition = definition, CreatedAt = now, RolledBackFrom = rolledBackFrom });
        state.State.Current = agent;
        await this.WriteOrDeactivateAsync(state);
    }

    /// <summary>Tells the index about the stored version; on failure, keeps retrying on a timer.</summary>
    private async Task TrySyncIndexAsync()
    {
        var current = state.State.Current;
        if (current is null || state.State.IndexedVersion == current.Version)
        {
            _indexRetry?.Dispose();
            _indexRetry = null;
            return;
        }

        try
        {
            await Index.UpsertAsync(AgentSummary.From(current));
            state.State.IndexedVersion = current.Version;
            await this.WriteOrDeactivateAsync(state);
            _indexRetry?.Dispose();
            _indexRetry = null;
        }
        catch (Exception e)
        {
            LogIndexBehind(logger, e, this.GetPrimaryKeyString(), current.Version);
            _indexRetry ??= this.RegisterGrainTimer(TrySyncIndexAsync, IndexRetryPeriod, IndexRetryPeriod);
        }
    }

    private async Task ClaimNameAsync(string name)
    {
        if (!await Index.TryClaimNameAsync(Key.Id, name))
        {
            throw new AgentGridException(ErrorCodes.AgentNameConflict, $"An agent named '{name}' already exists.", "name");
        }
    }

    /// <summary>Best effort: an undo that fails leaves an unconfirmed claim, which the index lets expire.</summary>
    private async Task UndoClaimAsync(Task undo)
    {
        try
        {
            await undo;
        }
        catch (Exception e)
        {
            LogUndoFailed(logger, e, this.GetPrimaryKeyString());
        }
    }

    private Agent Existing() => state.State.Current ?? throw AgentGridException.AgentNotFound(Key.Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentKey} created with model {Model}")]
    private static partial void LogCreated(ILogger logger, string agentKey, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentKey} deleted")]
    private static partial void LogDeleted(ILogger logger, string agentKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentKey} version {Version} is stored but not yet in the tenant index; retrying")]
    private static partial void LogIndexBehind(ILogger logger, Exception error, string agentKey, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentKey} could not release an unconfirmed name claim; it expires by itself")]
    private static partial void LogUndoFailed(ILogger logger, Exception error, string agentKey);
}
