using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentGrid.Inference.Simulator;

namespace AgentGrid.Bench;

/// <summary>Whole chat turns: straight to the simulator versus <c>POST /api/sessions/{id}/messages</c>.</summary>
public static class SessionBench
{
    public const string SystemPrompt = "You are a concise assistant for the bench.";

    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        async Task DirectAsync(int worker, int n)
        {
            var body = new
            {
                model = SimulatorOptions.DefaultModelId,
                messages = new object[] { new { role = "system", content = SystemPrompt }, new { role = "user", content = $"Question {n} from worker {worker}" } },
            };
            using var response = await http.PostAsJsonAsync(new Uri(host.Simulator.BaseUrl + "/chat/completions"), body);
            response.EnsureSuccessStatusCode();
            var completion = await response.Content.ReadFromJsonAsync<JsonObject>();
            _ = completion!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        }

        var agentId = await BenchAgents.CreateAsync(http, host.Grid, "bench-sessions");
        var sessions = new string?[options.Concurrency];

        async Task ThroughGridAsync(int worker, int n)
        {
            // A fresh session every few turns keeps the history, and so the prompt, near the direct path's size.
            if (n % options.TurnsPerSession == 0 || sessions[worker] is null)
            {
                sessions[worker] = await BenchAgents.OpenSessionAsync(http, host.Grid, agentId);
            }

            using var response = await http.PostAsJsonAsync(new Uri(host.Grid, $"/api/sessions/{sessions[worker]}/messages"),
                new { content = $"Question {n} from worker {worker}" });
            response.EnsureSuccessStatusCode();
            var turn = await response.Content.ReadFromJsonAsync<JsonObject>();
            _ = turn!["reply"]!["content"]!.GetValue<string>();
        }

        await LoadRunner.RunAsync("warmup-direct", options.Warmup, options.Concurrency, DirectAsync);
        await LoadRunner.RunAsync("warmup-grid", options.Warmup, options.Concurrency, ThroughGridAsync);
        var direct = await LoadRunner.RunAsync("direct to simulator", options.Requests, options.Concurrency, DirectAsync);
        var grid = await LoadRunner.RunAsync("through AgentGrid", options.Requests, options.Concurrency, ThroughGridAsync);

        Console.WriteLine();
        Console.WriteLine("Whole chat turns (POST /api/sessions/{id}/messages)");
        Console.WriteLine($"{"path",-22} {"req/s",9} {"p50 ms",9} {"p99 ms",9} {"errors",7}");
        foreach (var r in new[] { direct, grid })
        {
            Console.WriteLine($"{r.Name,-22} {r.RequestsPerSecond,9:F1} {r.Percentile(50),9:F1} {r.Percentile(99),9:F1} {r.Errors,7}");
        }

        Console.WriteLine($"throughput ratio (grid / direct): {grid.RequestsPerSecond / direct.RequestsPerSecond:F3}");
        Console.WriteLine($"p50 latency ratio (grid / direct): {grid.Percentile(50) / direct.Percentile(50):F3}  (+{grid.Percentile(50) - direct.Percentile(50):F1} ms)");
        Console.WriteLine($"p99 latency ratio (grid / direct): {grid.Percentile(99) / direct.Percentile(99):F3}  (+{grid.Percentile(99) - direct.Percentile(99):F1} ms)");
        return direct.Errors + grid.Errors;
    }
}
