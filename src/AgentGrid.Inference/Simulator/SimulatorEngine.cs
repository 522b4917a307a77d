using System.Diagnostics;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The model-server behaviour behind the simulator's HTTP surface: admission up to
/// <see cref="SimulatorOptions.MaxConcurrency"/> (later requests wait in arrival order), then a
/// time to first token and a steady inter-token latency.
/// </summary>
public sealed class SimulatorEngine(SimulatorOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrency, options.MaxConcurrency);
    private int _waiting;
    private long _abandoned;

    public SimulatorOptions Options => options;

    /// <summary>Requests waiting for a generation slot right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Requests generating right now.</summary>
    public int Running => options.MaxConcurrency - _slots.CurrentCount;

    /// <summary>Requests whose client went away before the reply was complete.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    internal void CountAbandoned() => Interlocked.Increment(ref _abandoned);

    public bool Serves(string model) => options.Models.Contains(model, StringComparer.Ordinal);

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AdmitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        return new Slot(_slots);
    }

    /// <summary>Yields each token at its scheduled time, measured from <paramref name="start"/> so delays do not drift.</summary>
    public async IAsyncEnumerable<string> GenerateAsync(
        IReadOnlyList<string> tokens,
        long start,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var due = options.TimeToFirstToken + options.InterTokenLatency * i;
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            yield return tokens[i];
        }
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
