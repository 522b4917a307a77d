using AgentGrid.Contracts;
using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Identity;

/// <summary>
/// Limits and budget of one key or tenant. One activation per key or tenant in the whole cluster serves every
/// check, so the counters are exact; calls are handled one at a time, so reserving is atomic. Rate windows and
/// reservations live in memory. What was spent is written behind the settlements, at most every
/// <see cref="SpendWriteInterval"/>: a busy key costs a few writes a second rather than one per call, and no call waits
/// for them. A silo that crashes forgets at most that interval's spending.
/// </summary>
public sealed class QuotaGrain(
    [PersistentState("quota", GridNames.StateStore)] IPersistentState<QuotaState> state,
    TimeProvider time,
    ILogger<QuotaGrain> logger) : Grain, IQuotaGrain
{
    /// <summary>A lease not settled within this time is dropped: its caller is gone.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan SpendWriteInterval = TimeSpan.FromMilliseconds(250);

    private QuotaCounters _counters = null!;
    private bool _dirty;
    private Task? _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _counters = new QuotaCounters(state.State);
        this.RegisterGrainTimer(() =>
        {
            _counters.ExpireLeases(time.GetUtcNow(), LeaseLifetime);
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        return Task.CompletedTask;
    }

    public async Task ConfigureAsync(RateLimits? limits, Budget? budget)
    {
        await FlushedAsync();
        var periodChanged = state.State.Budget?.Period != budget?.Period;
        state.State.Limits = limits is { IsEmpty: false } ? limits : null;
        state.State.Budget = budget is { IsEmpty: false } ? budget : null;
        if (periodChanged)
        {
            _counters.RollPeriod(time.GetUtcNow());
        }

        await this.WriteOrDeactivateAsync(state);
    }

    public Task<QuotaLease> AcquireAsync(QuotaReservation reservation)
    {
        var lease = _counters.Acquire(reservation, time.GetUtcNow());
        // In-flight reservations live in memory: the activation stays while calls are out.
        this.DelayDeactivation(LeaseLifetime);
        return Task.FromResult(lease);
    }

    public Task SettleAsync(Guid leaseId, QuotaUsage usage)
    {
        if (_counters.Settle(leaseId, usage, time.GetUtcNow()))
        {
            _dirty = true;
            if (_flushing is not { IsCompleted: false })
            {
                _flushing = FlushAsync();
            }
        }

        return Task.CompletedTask;
    }

    public Task<QuotaStatus> GetStatusAsync() => Task.FromResult(_counters.Status(time.GetUtcNow()));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushedAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task FlushedAsync()
    {
        if (_flushing is { } flushing)
        {
            await flushing;
        }

        if (_dirty)
        {
            await (_flushing = FlushAsync());
        }
    }

    private async Task FlushAsync()
    {
        try
        {
            while (_dirty)
            {
                _dirty = false;
                await state.WriteStateAsync();
                if (_dirty)
                {
                    // Settlements that arrived meanwhile are gathered into the next write.
                    await Task.Delay(SpendWriteInterval, time);
                }
            }
        }
        catch (Orleans.Storage.InconsistentStateException e)
        {
            // Another activation wrote this quota: this one's view is stale, so it goes and the next call reads afresh.
            logger.LogError(e, "Quota {QuotaKey} was written elsewhere; deactivating", this.GetPrimaryKeyString());
            DeactivateOnIdle();
        }
        catch (Exception e)
        {
            // The counters in memory stay right; the next settlement tries again.
            _dirty = true;
            logger.LogError(e, "Quota {QuotaKey} could not store what was spent", this.GetPrimaryKeyString());
        }
    }
}
