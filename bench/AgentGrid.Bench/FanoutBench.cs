using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Bench;

/// <summary>
/// Live fan-out on one front door: the embedded grid runs as its own process (so its memory is its own), <c>--subscribers</c>
/// SSE clients follow <c>--sessions</c> sessions' event streams, every session answers one message, and each subscriber
/// must see its session's reply end. Reports the grid's RSS per 1,000 open subscribers, how many saw their reply and how
/// soon; then opens <c>--idle-sessions</c> more sessions and reports the RSS they take.
/// </summary>
public static class FanoutBench
{
    public static async Task<int> RunAsync(BenchOptions options, string[] args)
    {
        var subscribers = Option(args, "subscribers", 10_000);
        var sessionCount = Option(args, "sessions", 100);
        var idle = Option(args, "idle-sessions", 0);
        await using var grid = await GridProcess.StartAsync(new Dictionary<string, string>
        {
            ["AgentGrid__Auth__MaxStreamsPerKey"] = (subscribers + 100).ToString(),
            ["AgentGrid__Inference__Simulator__TimeToFirstToken"] = "00:00:00.020",
            ["AgentGrid__Inference__Simulator__InterTokenLatency"] = "00:00:00.010",
            ["AgentGrid__Inference__Simulator__TokensPerReply"] = "20",
        });
        using var http = grid.Client(TimeSpan.FromMinutes(5));
        var agent = (await (await http.PostAsJsonAsync("/api/agents", new { name = "fanout" })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var sessions = new List<string>();
        for (var i = 0; i < sessionCount; i++)
        {
            sessions.Add(await BenchAgents.OpenSessionAsync(http, grid.Address, agent));
        }

        var baseline = grid.RssMiB();
        Console.WriteLine($"Grid process RSS with {sessionCount} sessions and no subscriber: {baseline:F0} MiB");
        using var streams = grid.Client(Timeout.InfiniteTimeSpan, maxConnections: subscribers + 10);
        var connected = 0;
        var done = new ConcurrentBag<double>();
        var sentAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var readers = new List<Task>(subscribers);
        var rssAt = new List<(int Connections, double MiB)>();
        for (var i = 0; i < subscribers; i++)
        {
            readers.Add(FollowAsync(streams, sessions[i % sessions.Count], () => Interlocked.Increment(ref connected), sentAt.Task, done, stop.Token));
            if ((i + 1) % 1000 == 0)
            {
                while (Volatile.Read(ref connected) < i + 1)
                {
                    await Task.Delay(50);
                }

                rssAt.Add((i + 1, grid.RssMiB()));
                Console.WriteLine($"  {i + 1,6} subscribers: grid RSS {rssAt[^1].MiB:F0} MiB");
            }
        }

        while (Volatile.Read(ref connected) < subscribers)
        {
            await Task.Delay(50);
        }

        var full = grid.RssMiB();
        var start = Stopwatch.GetTimestamp();
        sentAt.SetResult(start);
        await Task.WhenAll(sessions.Select(s => http.PostAsJsonAsync($"/api/sessions/{s}/messages", new { content = "Tell every follower" })));
        var turns = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var deadline = Stopwatch.StartNew();
        while (done.Count < subscribers && deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        var latencies = done.Order().ToArray();
        Console.WriteLine();
        Console.WriteLine($"Fan-out: {subscribers} SSE subscribers on {sessionCount} sessions of one front door (embedded grid, its own process)");
        Console.WriteLine($"  grid RSS: {baseline:F0} MiB before, {full:F0} MiB with every subscriber: {(full - baseline) / subscribers * 1000:F1} MiB per 1,000 subscribers");
        Console.WriteLine($"  replies: {latencies.Length} of {subscribers} subscribers saw their session's reply end; all {sessionCount} turns answered in {turns:F0} ms");
        if (latencies.Length > 0)
        {
            Console.WriteLine($"  from the sends to a subscriber's message.completed: p50 {latencies[latencies.Length / 2]:F0} ms, p99 {latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]:F0} ms");
        }

        var errors = subscribers - latencies.Length;
        if (idle > 0)
        {
            var before = grid.RssMiB();
            var opened = 0;
            await LoadRunner.RunAsync("idle sessions", idle, 32, async (_, _) =>
            {
                await BenchAgents.OpenSessionAsync(http, grid.Address, agent);
                Interlocked.Increment(ref opened);
            });
            GC.Collect();
            var after = grid.RssMiB();
            Console.WriteLine($"  idle sessions: {opened} more opened (each an activation with its stored state); grid RSS {before:F0} → {after:F0} MiB, {(after - before) / opened * 1000:F2} MiB per 1,000");
        }

        return errors;
    }

    /// <summary>Follows one session's events until the reply to the bench's message ends.</summary>
    private static async Task FollowAsync(HttpClient http, string session, Action connected, Task<long> sent, ConcurrentBag<double> done, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"/api/sessions/{session}/events?after=0", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            connected();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event: message.completed", StringComparison.Ordinal) || line.Contains("\"type\":\"message.completed\"", StringComparison.Ordinal))
                {
                    done.Add(Stopwatch.GetElapsedTime(await sent).TotalMilliseconds);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"subscriber of {session}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
