using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentGrid.Bench;

/// <summary>Runs a fixed number of requests with a fixed number of concurrent workers and records each one.</summary>
public static class LoadRunner
{
    /// <param name="send">One request by worker <c>w</c>, its <c>n</c>-th; it throws on failure.</param>
    public static Task<LoadResult> RunAsync(string name, int requests, int concurrency, Func<int, int, Task> send) =>
        RunAsync(name, requests, concurrency, async (w, n) =>
        {
            await send(w, n);
            return new Sample();
        });

    public static async Task<LoadResult> RunAsync(string name, int requests, int concurrency, Func<int, int, Task<Sample>> send)
    {
        var latencies = new double[requests];
        var ttfts = new ConcurrentBag<double>();
        long tokens = 0;
        var next = -1;
        var errors = 0;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var own = 0;
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var sample = await send(worker, own++);
                    if (sample.TtftMs is { } ttft)
                    {
                        ttfts.Add(ttft);
                    }

                    Interlocked.Add(ref tokens, sample.Tokens);
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"{name}: {e.GetType().Name}: {e.Message}");
                    }
                }

                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        await Task.WhenAll(workers);
        wall.Stop();
        return new LoadResult(name, latencies, [.. ttfts], tokens, wall.Elapsed.TotalSeconds, errors);
    }
}
