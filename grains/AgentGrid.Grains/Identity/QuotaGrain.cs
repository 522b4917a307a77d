using AgentGrid.Contracts;
using AgentGrid.Contracts.Identity;

namespace AgentGrid.Grains.Identity;

/// <summary>
/// Limits and budget of one key or tenant. One activation per key or tenant in the whole cluster serves every
/// check, so the counters are exact; calls are handled one at a time, so reserving is atomic. What was spent is
/// stored at each settlement; rate windows and reservations live in memory.
/// </summary>
public sealed class QuotaGrain(
    [PersistentState("quota", GridNames.StateStore)] IPersistentState<QuotaState> state,
    TimeProvider time) : Grain, IQuotaGrain
{
    /// <summary>A lease not settled within this time is dropped: its caller is gone.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(15);

    private QuotaCounters _counters = null!;

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

    public async Task SettleAsync(Guid leaseId, QuotaUsage usage)
    {
        if (_counters.Settle(leaseId, usage, time.GetUtcNow()))
        {
            await this.WriteOrDeactivateAsync(state);
        }
    }

    public Task<QuotaStatus> GetStatusAsync() => Task.FromResult(_counters.Status(time.GetUtcNow()));
}
