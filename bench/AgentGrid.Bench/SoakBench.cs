using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Bench;

/// <summary>
/// Continuous session load on a grid given by <c>--grid-url</c> while something else kills its silos (bench/soak.sh):
/// each of <c>--concurrency</c> clients sends turn after turn to its own session for <c>--duration-s</c> seconds, retrying
/// a failed send with the same <c>messageId</c> as a client would. Every answer is counted by status; then each session's
/// history is read back, and every acknowledged message must be in it exactly once.
/// </summary>
public static class SoakBench
{
    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        var agent = await BenchAgents.CreateAsync(http, host.Grid, "bench-soak");
        var sessions = new string[options.Concurrency];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = await BenchAgents.OpenSessionAsync(http, host.Grid, agent);
        }

        var statuses = new ConcurrentDictionary<string, int>();
        var acknowledged = new ConcurrentBag<(string Session, string MessageId)>();
        var abandoned = 0;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(35) };
        client.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        var stop = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        await Task.WhenAll(sessions.Select((session, worker) => Task.Run(async () =>
        {
            for (var turn = 0; stop.Elapsed < duration; turn++)
            {
                var messageId = $"soak-{worker}-{turn}";
                var done = false;
                for (var attempt = 0; attempt < 40 && !done; attempt++)
                {
                    string outcome;
                    try
                    {
                        using var response = await client.PostAsJsonAsync(new Uri(host.Grid, $"/api/sessions/{session}/messages"), new { content = $"turn {turn}", messageId });
                        outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                        {
                            outcome = "503 without Retry-After";
                        }

                        done = response.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        outcome = e is TaskCanceledException ? "timeout" : "connection failed";
                    }

                    statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                    if (!done)
                    {
                        await Task.Delay(250);
                    }
                }

                if (done)
                {
                    acknowledged.Add((session, messageId));
                }
                else
                {
                    Interlocked.Increment(ref abandoned);
                }
            }
        })));

        var (lost, duplicated) = await CheckHistoriesAsync(http, host.Grid, sessions, acknowledged);
        Console.WriteLine();
        Console.WriteLine($"Soak: {sessions.Length} sessions for {options.DurationSeconds} s");
        Console.WriteLine($"  answers by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Console.WriteLine($"  acknowledged turns: {acknowledged.Count}; given up after 40 attempts: {abandoned}");
        Console.WriteLine($"  acknowledged but not stored: {lost}; stored more than once: {duplicated}");
        // Anything but a success or a 503 with Retry-After: other statuses, 503s without it, timeouts, refused connections.
        var untyped = statuses.Where(s => s.Key is not ("200" or "503")).Sum(s => s.Value);
        Console.WriteLine($"  answers that were neither a success nor a 503 with Retry-After: {untyped}");
        return lost + duplicated + untyped;
    }

    private static async Task<(int Lost, int Duplicated)> CheckHistoriesAsync(
        HttpClient http, Uri grid, string[] sessions, IEnumerable<(string Session, string MessageId)> acknowledged)
    {
        var lost = 0;
        var duplicated = 0;
        var bySession = acknowledged.ToLookup(a => a.Session, a => a.MessageId);
        foreach (var session in sessions)
        {
            var ids = new List<string>();
            string? next = $"/api/sessions/{session}/messages?limit=500";
            while (next is not null)
            {
                using var response = await http.GetAsync(new Uri(grid, next));
                response.EnsureSuccessStatusCode();
                ids.AddRange((await response.Content.ReadFromJsonAsync<JsonArray>())!
                    .Where(m => m!["role"]!.GetValue<string>() == "user").Select(m => m!["id"]!.GetValue<string>()));
                next = response.Headers.TryGetValues("Link", out var link) ? link.First().Split('<', '>')[1] : null;
            }

            var counts = ids.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
            lost += bySession[session].Count(id => !counts.ContainsKey(id));
            duplicated += counts.Count(c => c.Value > 1);
        }

        return (lost, duplicated);
    }
}
