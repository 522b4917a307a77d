using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Workers.Pool;

/// <summary>
/// Requests waiting for a pool's first ready worker: they wake when one is ready, or fail together with the reason a
/// start failed, which later requests get too until it is <see cref="ColdStartBackoff"/> old.
/// </summary>
internal sealed class ReadyWait(TimeProvider clock)
{
    public static readonly TimeSpan ColdStartBackoff = TimeSpan.FromSeconds(10);

    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentGridException? _failure;
    private DateTimeOffset _failureAt;

    /// <summary>Requests waiting now.</summary>
    public int Waiting { get; private set; }

    /// <summary>A start that just failed is not retried by every request: callers get its reason until it is stale.</summary>
    public void ThrowIfFailedRecently()
    {
        if (_failure is { } failure && clock.GetUtcNow() - _failureAt < ColdStartBackoff)
        {
            throw failure;
        }
    }

    /// <summary>Waits for the next change (a ready worker, or a failure); false when <paramref name="remaining"/> ran out.</summary>
    public async Task<bool> WaitAsync(TimeSpan remaining)
    {
        var signal = _signal.Task;
        Waiting++;
        try
        {
            await signal.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Waiting--;
        }
    }

    public void Ready() => Wake();

    public void Started() => _failure = null;

    public void Fail(AgentGridException reason)
    {
        _failure = new AgentGridException(reason.Code, reason.Message, reason.Field) { RetryAfterSeconds = (int)ColdStartBackoff.TotalSeconds };
        _failureAt = clock.GetUtcNow();
        Wake();
    }

    private void Wake()
    {
        var signal = _signal;
        _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
    }
}
