using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Bench;

/// <summary>
/// What acting costs, over HTTP on the embedded grid against the simulator, measured side by side in one run: a plain
/// turn, a turn with one tool round trip (the model calls a files tool, the tool runs, the model answers from its
/// result), and workflow runs of one and of two agent steps (started over REST, followed on the run's event stream).
/// Each iteration measures all four back to back, each in a fresh session, so they share the machine's state.
/// </summary>
public static class ToolsBench
{
    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        var iterations = Math.Max(20, options.Requests / 10);
        var plainAgent = await CreateAsync(http, host, "/api/agents", new { name = "bench-plain" });
        var tool = await CreateAsync(http, host, "/api/tools", new { name = "bench_files", kind = "files" });
        var toolAgent = await CreateAsync(http, host, "/api/agents", new { name = "bench-actor", tools = new[] { tool } });
        var oneStep = await CreateAsync(http, host, "/api/workflows", new { name = "bench-one", steps = new[] { new { id = "a", agent = plainAgent } } });
        var twoSteps = await CreateAsync(http, host, "/api/workflows", new
        {
            name = "bench-two", steps = new[] { new { id = "a", agent = plainAgent, input = "{{input}}" }, new { id = "b", agent = plainAgent, input = "{{input}}" } },
        });

        var plain = new List<double>();
        var withTool = new List<double>();
        var workflowOne = new List<double>();
        var workflowTwo = new List<double>();
        for (var i = -options.Warmup / 10 - 2; i < iterations; i++)
        {
            var p = await TurnAsync(http, host, plainAgent, $"Hello number {i}");
            var t = await TurnAsync(http, host, toolAgent, $$"""Please bench_files {"operation":"write_file","path":"bench-{{i % 10}}.txt","content":"iteration {{i}}"}""");
            var w1 = await RunAsync(http, host, oneStep, $"input {i}");
            var w2 = await RunAsync(http, host, twoSteps, $"input {i}");
            if (i >= 0)
            {
                plain.Add(p);
                withTool.Add(t);
                workflowOne.Add(w1);
                workflowTwo.Add(w2);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Acting, {iterations} iterations, simulator TTFT {options.TtftMs} ms, ITL {options.ItlMs} ms, {options.Tokens} tokens a reply:");
        Print("plain turn", plain, plain);
        Print("turn with one tool round trip", withTool, plain);
        Print("workflow run, one agent step", workflowOne, plain);
        Print("workflow run, two agent steps", workflowTwo, plain);
        var toolAdded = Median(withTool) - Median(plain);
        var stepAdded = Median(workflowTwo) - Median(workflowOne);
        Console.WriteLine($"  one tool round trip adds {toolAdded:F1} ms to a turn (a second model call, the tool, two more stored messages)");
        Console.WriteLine($"  one more workflow step adds {stepAdded:F1} ms ({stepAdded / Median(plain):F2}× a plain turn); " +
            $"a one-step run costs {Median(workflowOne) - Median(plain):F1} ms over its turn (run grain, session open, stored steps, event stream)");
        return 0;
    }

    private static async Task<string> CreateAsync(HttpClient http, BenchHost host, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(host.Grid, path), body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task<double> TurnAsync(HttpClient http, BenchHost host, string agentId, string content)
    {
        var session = await CreateAsync(http, host, "/api/sessions", new { agentId });
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync(new Uri(host.Grid, $"/api/sessions/{session}/messages"), new { content });
        response.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>From the start request to the <c>run.completed</c> event.</summary>
    private static async Task<double> RunAsync(HttpClient http, BenchHost host, string workflowId, string input)
    {
        var clock = Stopwatch.StartNew();
        var run = await CreateAsync(http, host, $"/api/workflows/{workflowId}/runs", new { input });
        using var events = await http.GetAsync(new Uri(host.Grid, $"/api/workflow-runs/{run}/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = JsonNode.Parse(line["data: ".Length..])!;
            switch ((data["run"] ?? data)["status"]!.GetValue<string>())
            {
                case "completed":
                    return clock.Elapsed.TotalMilliseconds;
                case "failed" or "cancelled":
                    throw new InvalidOperationException($"Workflow run {run} did not complete: {line}");
            }
        }

        throw new InvalidOperationException($"Workflow run {run} ended its events without completing.");
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static void Print(string what, List<double> values, List<double> baseline) =>
        Console.WriteLine($"  {what,-32} p50 {Median(values),7:F1} ms  p95 {Percentile(values, 0.95),7:F1} ms  ({Median(values) / Median(baseline):F2}× plain)");
}
