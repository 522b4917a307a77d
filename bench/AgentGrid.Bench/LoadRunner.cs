using System.Diagnostics;

namespace AgentGrid.Bench;

/// <summary>Runs a fixed number of requests with a fixed number of concurrent workers and records each latency.</summary>
public static class LoadRunner
{
    /// <param name="send">One request by worker <c>w</c>, its <c>n</c>-th; it throws on failure.</param>
    public static async Task<LoadResult> RunAsync(string name, int requests, int concurrency, Func<int, int, Task> send)
    {
        var latencies = new double[requests];
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
                    await send(worker, own++);
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
        return new LoadResult(name, latencies, wall.Elapsed.TotalSeconds, errors);
    }
}
