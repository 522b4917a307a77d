using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AgentGrid.Inference.Simulator;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Bench;

/// <summary>
/// Streamed replies: time to first token and tokens/s straight from the simulator, through
/// AgentGrid's <c>/v1/chat/completions</c> (stateless, an agent as the model) and through SignalR
/// (a session turn: <c>SendMessage</c> while following <c>StreamSession</c>).
/// </summary>
public static class StreamingBench
{
    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        var agentName = "bench-streaming";
        var agentId = await BenchAgents.CreateAsync(http, host.Grid, agentName);

        Task<Sample> DirectAsync(int worker, int n) =>
            SseAsync(http, new Uri(host.Simulator.BaseUrl + "/chat/completions"), SimulatorOptions.DefaultModelId, worker, n, SessionBench.SystemPrompt);

        // The agent adds the same system prompt on the grid side, so both paths send the same prompt upstream.
        Task<Sample> OpenAiAsync(int worker, int n) =>
            SseAsync(http, new Uri(host.Grid, "/v1/chat/completions"), agentName, worker, n, systemPrompt: null);

        var connections = await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(host.Grid, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(host.Key)).Build();
            await connection.StartAsync();
            return connection;
        }));
        var followed = new FollowedSession?[options.Concurrency];

        // Like the chat page: each session is followed by one long-lived StreamSession, and turns are sent with SendMessage.
        async Task<Sample> SignalRAsync(int worker, int n)
        {
            if (n % options.TurnsPerSession == 0 || followed[worker] is null)
            {
                followed[worker]?.Dispose();
                var sessionId = await BenchAgents.OpenSessionAsync(http, host.Grid, agentId);
                followed[worker] = FollowedSession.Start(connections[worker], sessionId);
            }

            var session = followed[worker]!;
            var start = Stopwatch.GetTimestamp();
            var send = connections[worker].InvokeAsync<JsonElement>("SendMessage", session.Id, $"Question {n} from worker {worker}");
            double? ttft = null;
            var tokens = 0;
            while (await session.Events.ReadAsync() is var e)
            {
                var type = e.GetProperty("type").GetString();
                if (type == "token")
                {
                    ttft ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                else if (type is "message.completed" or "turn.failed")
                {
                    // Token events may carry several tokens each; the backend's count is exact.
                    tokens = e.TryGetProperty("outputTokens", out var count) ? count.GetInt32() : 0;
                    break;
                }
            }

            await send;
            return new Sample(ttft, tokens);
        }

        await LoadRunner.RunAsync("warmup-direct", options.Warmup, options.Concurrency, DirectAsync);
        await LoadRunner.RunAsync("warmup-openai", options.Warmup, options.Concurrency, OpenAiAsync);
        await LoadRunner.RunAsync("warmup-signalr", options.Warmup, options.Concurrency, SignalRAsync);
        var direct = await LoadRunner.RunAsync("direct to simulator", options.Requests, options.Concurrency, DirectAsync);
        var openAi = await LoadRunner.RunAsync("/v1 chat streaming", options.Requests, options.Concurrency, OpenAiAsync);
        var signalR = await LoadRunner.RunAsync("SignalR session", options.Requests, options.Concurrency, SignalRAsync);
        foreach (var session in followed)
        {
            session?.Dispose();
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        Console.WriteLine();
        Console.WriteLine("Streamed replies (time to first token, tokens/s)");
        Console.WriteLine($"{"path",-22} {"TTFT p50",9} {"TTFT p99",9} {"tokens/s",10} {"req/s",8} {"errors",7}");
        foreach (var r in new[] { direct, openAi, signalR })
        {
            Console.WriteLine($"{r.Name,-22} {r.TtftPercentile(50),9:F1} {r.TtftPercentile(99),9:F1} {r.TokensPerSecond,10:F0} {r.RequestsPerSecond,8:F1} {r.Errors,7}");
        }

        foreach (var r in new[] { openAi, signalR })
        {
            Console.WriteLine($"{r.Name}: added TTFT p50 +{r.TtftPercentile(50) - direct.TtftPercentile(50):F1} ms, p99 +{r.TtftPercentile(99) - direct.TtftPercentile(99):F1} ms; " +
                $"throughput ratio {r.TokensPerSecond / direct.TokensPerSecond:F3}");
        }

        return direct.Errors + openAi.Errors + signalR.Errors;
    }

    /// <summary>A session followed with one <c>StreamSession</c> for as long as it is used; its events queue in a channel.</summary>
    private sealed class FollowedSession : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly System.Threading.Channels.Channel<JsonElement> _events = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();

        private FollowedSession(string id) => Id = id;

        public string Id { get; }

        public System.Threading.Channels.ChannelReader<JsonElement> Events => _events.Reader;

        public static FollowedSession Start(HubConnection connection, string sessionId)
        {
            var session = new FollowedSession(sessionId);
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in connection.StreamAsync<JsonElement>("StreamSession", sessionId, 0L, session._stop.Token))
                    {
                        await session._events.Writer.WriteAsync(e);
                    }
                }
                catch (OperationCanceledException) when (session._stop.IsCancellationRequested)
                {
                    // Stopped following: the session is done with.
                }
                finally
                {
                    session._events.Writer.TryComplete();
                }
            });
            return session;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    private static async Task<Sample> SseAsync(HttpClient http, Uri url, string model, int worker, int n, string? systemPrompt)
    {
        var messages = new List<object>();
        if (systemPrompt is not null)
        {
            messages.Add(new { role = "system", content = systemPrompt });
        }

        messages.Add(new { role = "user", content = $"Question {n} from worker {worker}" });
        var start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { model, stream = true, messages }) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double? ttft = null;
        var tokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line == "data: [DONE]")
            {
                break;
            }

            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"content\":\"", StringComparison.Ordinal)
                && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                ttft ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                tokens++;
            }
        }

        return new Sample(ttft, tokens);
    }
}
