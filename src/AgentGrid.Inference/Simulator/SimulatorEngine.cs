using System.Collections.Immutable;
using System.Diagnostics;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The model-server behaviour behind the simulator's HTTP surface: admission while a generation slot and
/// KV-cache room are free (later requests wait in arrival order), a prefix cache, then a time to first token
/// that grows with the uncached prompt and the load, and a steady inter-token latency.
/// </summary>
public sealed class SimulatorEngine : IDisposable
{
    private readonly SimulatorOptions _options;
    private readonly PrefixCache _prefixCache;
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private int _running;
    private int _kvInUse;
    private long _requests, _refused, _dropped, _abandoned, _promptTokens, _cachedTokens;
    private volatile SimulatorFaults _faults;

    public SimulatorEngine(SimulatorOptions options)
    {
        _options = options;
        _faults = options.Faults.Copy();
        var capacity = options.KvCacheTokens > 0 ? options.KvCacheTokens / PrefixCache.BlockTokens : 1 << 16;
        _prefixCache = new PrefixCache(Math.Max(1, capacity));
    }

    public SimulatorOptions Options => _options;

    public SimulatorFaults Faults
    {
        get => _faults.Copy();
        set => _faults = value.Copy();
    }

    /// <summary>Requests waiting for admission right now.</summary>
    public int Waiting { get { lock (_lock) { return _queue.Count; } } }

    /// <summary>Requests generating right now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests whose client went away before the reply was complete.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    public SimulatorStats Stats()
    {
        lock (_lock)
        {
            return new SimulatorStats(Interlocked.Read(ref _requests), Interlocked.Read(ref _refused), Interlocked.Read(ref _dropped),
                Abandoned, _running, _queue.Count, Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _cachedTokens), _kvInUse);
        }
    }

    internal void CountAbandoned() => Interlocked.Increment(ref _abandoned);

    internal void CountRefused() => Interlocked.Increment(ref _refused);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    private System.Collections.Immutable.ImmutableHashSet<string> _pulled = [];

    public bool Serves(string model) => _options.Models.Contains(model, StringComparer.Ordinal) || _pulled.Contains(model);

    /// <summary>Ollama mode: a pulled model is served from then on.</summary>
    public void AddModel(string model) => ImmutableInterlocked.Update(ref _pulled, set => set.Add(model));

    /// <summary>Whether a request needing <paramref name="kvTokens"/> can ever fit in the KV cache.</summary>
    public bool Fits(int kvTokens) => _options.KvCacheTokens == 0 || kvTokens <= _options.KvCacheTokens;

    /// <summary>
    /// Waits for a generation slot and KV room for <paramref name="kvTokens"/>, then looks the prompt up in the
    /// prefix cache and fixes the request's latencies. Dispose the result to free the slot and the KV room.
    /// </summary>
    public async Task<Admission> ReserveAsync(
        IReadOnlyList<(string Role, string Content)> prompt, int promptTokens, int kvTokens, CancellationToken cancellationToken, string? cacheSalt = null)
    {
        Interlocked.Increment(ref _requests);
        var kv = _options.KvCacheTokens == 0 ? 0 : kvTokens;
        Waiter? waiter = null;
        int othersRunning;
        lock (_lock)
        {
            if (_queue.Count == 0 && CanRun(kv))
            {
                othersRunning = _running++;
                _kvInUse += kv;
            }
            else
            {
                waiter = new Waiter(kv);
                waiter.Node = _queue.AddLast(waiter);
                othersRunning = -1;
            }
        }

        if (waiter is not null)
        {
            using var registration = cancellationToken.Register(() => Abandon(waiter));
            othersRunning = await waiter.Admitted.Task;
        }

        var cached = _options.PrefixCaching ? _prefixCache.LookupAndInsert(PrefixCache.Blocks(prompt, cacheSalt)) : 0;
        cached = Math.Min(cached, promptTokens);
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _cachedTokens, cached);

        var faults = _faults;
        var penalty = _options.LoadPenaltyPerRequest * othersRunning;
        var ttft = (_options.TimeToFirstToken + _options.PrefillPerToken * (promptTokens - cached) + penalty) * faults.SlowFactor;
        var itl = (_options.InterTokenLatency + penalty) * faults.SlowFactor;
        return new Admission(this, kv, ttft, itl, cached, faults.DropAfterTokens);
    }

    private bool CanRun(int kv) => _running < _options.MaxConcurrency && (_options.KvCacheTokens == 0 || _kvInUse + kv <= _options.KvCacheTokens);

    private void Abandon(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
        }

        waiter.Admitted.TrySetCanceled();
    }

    private void Release(int kv)
    {
        var admitted = new List<(Waiter, int)>();
        lock (_lock)
        {
            _running--;
            _kvInUse -= kv;
            // Strict arrival order: the head waits for room even if a smaller request behind it would fit.
            while (_queue.First is { } head && CanRun(head.Value.Kv))
            {
                _queue.RemoveFirst();
                admitted.Add((head.Value, _running++));
                _kvInUse += head.Value.Kv;
            }
        }

        foreach (var (waiter, others) in admitted)
        {
            waiter.Admitted.TrySetResult(others);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Waiter(int kv)
    {
        public int Kv { get; } = kv;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource<int> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One admitted request: its latencies, what the prefix cache saved, and its slot.</summary>
    public sealed class Admission(SimulatorEngine engine, int kv, TimeSpan ttft, TimeSpan itl, int cachedTokens, int? dropAfterTokens) : IDisposable
    {
        private int _released;

        public TimeSpan TimeToFirstToken { get; } = ttft;
        public TimeSpan InterTokenLatency { get; } = itl;
        public int CachedTokens { get; } = cachedTokens;
        public int? DropAfterTokens { get; } = dropAfterTokens;

        /// <summary>Yields each token at its scheduled time, measured from <paramref name="start"/> so delays do not drift.</summary>
        public async IAsyncEnumerable<string> GenerateAsync(
            IReadOnlyList<string> tokens, long start,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                var due = TimeToFirstToken + InterTokenLatency * i;
                var wait = due - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                yield return tokens[i];
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                engine.Release(kv);
            }
        }
    }
}
