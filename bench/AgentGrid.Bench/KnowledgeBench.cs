using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentGrid.Bench;

/// <summary>
/// Knowledge and memory as a user meets them, over HTTP on the embedded grid: ingestion throughput of generated
/// documents (documents, chunks and embeddings per second), search latency by mode on the filled knowledge base,
/// and one session's turn latency at its start versus after a thousand turns.
/// </summary>
public static class KnowledgeBench
{
    private static readonly string[] Topics = ["billing", "security", "onboarding", "travel", "hardware", "payroll", "networking", "legal", "support", "storage"];
    private static readonly string[] Verbs = ["explains", "describes", "lists", "summarises", "details", "covers"];

    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        var documents = options.Requests;
        var kb = (await (await http.PostAsJsonAsync(new Uri(host.Grid, "/api/knowledge-bases"), new { name = "bench" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < documents; start += 20)
        {
            using var form = new MultipartFormDataContent();
            for (var i = start; i < Math.Min(documents, start + 20); i++)
            {
                var part = new ByteArrayContent(Encoding.UTF8.GetBytes(Document(i)));
                part.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
                form.Add(part, "files", $"doc-{i:D6}.txt");
            }

            using var response = await http.PostAsync(new Uri(host.Grid, $"/api/knowledge-bases/{kb}/documents"), form);
            response.EnsureSuccessStatusCode();
        }

        var uploaded = clock.Elapsed;
        long chunks;
        while (true)
        {
            var listed = (await http.GetFromJsonAsync<JsonObject>(new Uri(host.Grid, $"/api/knowledge-bases/{kb}/documents")))!["documents"]!.AsArray();
            if (listed.Count == documents && listed.All(d => d!["state"]!.GetValue<string>() is "ready" or "failed"))
            {
                chunks = listed.Sum(d => d!["chunks"]!.GetValue<long>());
                break;
            }

            await Task.Delay(500);
        }

        var ingested = clock.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"Ingestion: {documents} documents ({chunks} chunks) uploaded in {uploaded.TotalSeconds:F1} s, ready in {ingested:F1} s: " +
            $"{documents / ingested:F1} documents/s, {chunks / ingested:F1} chunks/s, {chunks / ingested:F1} embeddings/s (all-MiniLM-L6-v2 on the CPU)");

        foreach (var mode in new[] { "lexical", "vector", "hybrid" })
        {
            var latencies = new List<double>();
            for (var q = 0; q < 200; q++)
            {
                var query = Uri.EscapeDataString($"{Topics[q % Topics.Length]} policy {q}");
                var timer = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri(host.Grid, $"/api/knowledge-bases/{kb}/search?q={query}&k=5&mode={mode}"));
                response.EnsureSuccessStatusCode();
                latencies.Add(timer.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            Console.WriteLine($"Search {mode,-7} over {documents} documents: p50 {latencies[latencies.Count / 2]:F1} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F1} ms (200 queries, one at a time)");
        }

        await LongSessionAsync(host, http, options.TurnsPerSession);
        return 0;
    }

    /// <summary>One session, turn after turn: the median latency of its first 20 turns against its last 20.</summary>
    private static async Task LongSessionAsync(BenchHost host, HttpClient http, int turns)
    {
        var agentId = await BenchAgents.CreateAsync(http, host.Grid, "bench-long");
        var session = await BenchAgents.OpenSessionAsync(http, host.Grid, agentId);
        var latencies = new double[turns];
        for (var t = 0; t < turns; t++)
        {
            var timer = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync(new Uri(host.Grid, $"/api/sessions/{session}/messages"),
                new { content = $"Turn {t}: please remember that item {t} costs {t * 3} euros and tell me about {Topics[t % Topics.Length]}." });
            response.EnsureSuccessStatusCode();
            latencies[t] = timer.Elapsed.TotalMilliseconds;
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        var window = Math.Min(20, turns / 2);
        var first = Median(latencies.Take(window));
        var last = Median(latencies.TakeLast(window));
        var summary = (await http.GetFromJsonAsync<JsonObject>(new Uri(host.Grid, $"/api/sessions/{session}")))!["summary"];
        Console.WriteLine($"Session turns: median of turns 1-{window} {first:F1} ms, of turns {turns - window + 1}-{turns} {last:F1} ms " +
            $"(ratio {last / first:F2}); summary covers messages through {summary?["throughIndex"]?.GetValue<long>() ?? 0}");
    }

    private static string Document(int i)
    {
        var topic = Topics[i % Topics.Length];
        return $"Policy {i} {Verbs[i % Verbs.Length]} how the {topic} team handles request {i}. " +
            $"Requests about {topic} are answered within {i % 48 + 1} hours by the {topic} desk on floor {i % 12}. " +
            $"Escalations for case {i} go to the {Topics[(i + 3) % Topics.Length]} lead.";
    }
}
