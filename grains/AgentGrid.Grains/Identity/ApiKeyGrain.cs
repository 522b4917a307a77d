using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>One key's record. Its last use is kept in memory and stored at most once a minute, not on every request.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("api-key", GridNames.StateStore)] IPersistentState<ApiKeyState> state,
    TimeProvider time) : Grain, IApiKeyGrain
{
    private static readonly TimeSpan LastUsedFlush = TimeSpan.FromMinutes(1);
    private DateTimeOffset? _lastUsed;
    private IGrainTimer? _flush;

    public async Task RegisterAsync(ApiKey key)
    {
        if (state.State.Key is null)
        {
            // As in AuthenticateAsync: an empty view may be stale.
            await state.ReadStateAsync();
        }

        if (state.State.Key is { } existing)
        {
            if (existing.Id == key.Id)
            {
                return;
            }

            throw new AgentGridException(ErrorCodes.ConcurrencyConflict, "A key with this value already exists.");
        }

        state.State.Key = key;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<ApiKey?> AuthenticateAsync()
    {
        if (state.State.Key is null)
        {
            // An activation made for an unknown key (a guess, or a lookup a moment before the key was registered,
            // possibly through another activation while the cluster was still settling) must not answer from what it
            // read then: it reads again, and goes once idle if there is still nothing.
            await state.ReadStateAsync();
            if (state.State.Key is null)
            {
                DeactivateOnIdle();
                return null;
            }
        }

        var now = time.GetUtcNow();
        if (state.State.Key is not { } key || !key.IsUsableAt(now))
        {
            return null;
        }

        _lastUsed = now;
        _flush ??= this.RegisterGrainTimer(FlushLastUsedAsync, new GrainTimerCreationOptions(LastUsedFlush, LastUsedFlush));
        return key with { LastUsedAt = now };
    }

    public Task<ApiKey?> GetAsync() =>
        Task.FromResult(state.State.Key is { } key && _lastUsed is { } used ? key with { LastUsedAt = used } : state.State.Key);

    public async Task<ApiKey?> RevokeAsync()
    {
        if (state.State.Key is not { } key)
        {
            return null;
        }

        if (key.RevokedAt is null)
        {
            state.State.Key = key with { RevokedAt = time.GetUtcNow(), LastUsedAt = _lastUsed ?? key.LastUsedAt };
            await this.WriteOrDeactivateAsync(state);
        }

        return state.State.Key;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushLastUsedAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task FlushLastUsedAsync(CancellationToken cancellationToken)
    {
        if (_lastUsed is { } used && state.State.Key is { } key && key.LastUsedAt != used)
        {
            state.State.Key = key with { LastUsedAt = used };
            await state.WriteStateAsync(cancellationToken);
        }
    }
}

public sealed class ApiKeyState
{
    public ApiKey? Key { get; set; }
}
