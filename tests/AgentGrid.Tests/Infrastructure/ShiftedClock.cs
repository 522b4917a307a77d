namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// The system clock, moved forward when a test moves it. Unlike <see cref="ManualClock"/> time still passes, so a
/// whole grid can run on it; a test jumps it past a limit instead of waiting for one.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
