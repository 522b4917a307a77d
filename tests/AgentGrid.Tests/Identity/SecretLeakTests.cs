using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Tests.Identity;

/// <summary>
/// A canary backend API key and a canary AgentGrid key, used on every surface (REST, /v1, SSE, SignalR over
/// WebSockets with the key in the query string as browsers send it, failures, the dashboard), must never appear in a
/// log line (every category at Trace), a problem detail, the metrics or a trace.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task Canary_keys_never_reach_logs_errors_metrics_or_traces()
    {
        var backendKey = "sk-canary-backend-" + Guid.NewGuid().ToString("N");
        var gridKey = EmbeddedGrid.NewKey();
        var logs = new CapturedLogs();
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue($"{a.OperationName} {a.DisplayName} {string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
                + string.Join(" ", a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))),
        };
        ActivitySource.AddActivityListener(listener);
        await using var backend = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(2), TokensPerReply = 6 });
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["AgentGrid:Auth:BootstrapKey"] = gridKey,
            ["AgentGrid:Inference:Models:keyed:BaseUrl"] = backend.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:keyed:Model"] = SimulatorOptions.DefaultModelId,
            ["AgentGrid:Inference:Models:keyed:ApiKey"] = backendKey,
            ["AgentGrid:Inference:Models:down:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["AgentGrid:Inference:Models:down:ApiKey"] = backendKey,
            ["AgentGrid:Inference:DefaultModel"] = "keyed",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
            ["Logging:LogLevel:Orleans"] = "Debug",
            ["Logging:LogLevel:Microsoft.Orleans"] = "Debug",
        }, builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var responses = new List<string>();
        async Task Keep(HttpResponseMessage response) => responses.Add($"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");

        var http = grid.Http;
        var agentId = await http.CreateAgentAsync(new { name = "canary", systemPrompt = "You guard canaries." });
        var session = await http.OpenSessionAsync(agentId);
        await Keep(await http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "hello" }));
        await Keep(await http.PostAsJsonAsync("/v1/chat/completions", new { model = "canary", messages = new[] { new { role = "user", content = "hi" } } }));
        await Keep(await http.PostAsJsonAsync("/v1/chat/completions", new { model = "down", stream = true, messages = new[] { new { role = "user", content = "hi" } } }));
        await Keep(await http.GetAsync("/api/models"));
        using (var events = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{session}/events?after=0"), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }

        // As a browser opens it: a ticket in the query string, never the key.
        var ticket = (await (await http.PostAsync("/api/hub-tickets", null)).JsonAsync(HttpStatusCode.OK)).Value<string>("ticket");
        await using (var hub = new HubConnectionBuilder()
            .WithUrl($"{grid.Address}hubs/chat?access_token={ticket}", HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .Build())
        {
            await hub.StartAsync();
            await hub.InvokeAsync<object>("SendMessage", session, "over websockets");
        }

        using var anonymous = grid.Client(null);
        await Keep(await anonymous.GetAsync("/api/agents"));
        using var wrong = grid.Client(gridKey + "x");
        await Keep(await wrong.GetAsync("/api/agents"));
        await Keep(await wrong.PostAsJsonAsync("/v1/chat/completions", new { model = "canary", messages = new[] { new { role = "user", content = "hi" } } }));
        await Keep(await http.GetAsync("/dashboard/"));
        var metrics = await http.GetStringAsync("/metrics");

        Assert.True(logs.Lines.Count > 100, $"the log was captured ({logs.Lines.Count} lines)");
        Assert.Contains(logs.Lines, l => l.Contains("hubs/chat", StringComparison.Ordinal) || l.Contains("SendMessage", StringComparison.Ordinal));
        foreach (var (what, texts) in new[] { ("log", logs.Lines.ToList()), ("response", responses), ("metrics", [metrics]), ("trace", spans.ToList()) })
        {
            foreach (var canary in new[] { backendKey, gridKey, gridKey[12..] })
            {
                var leak = texts.FirstOrDefault(t => t.Contains(canary, StringComparison.Ordinal));
                Assert.True(leak is null, $"a {what} contains a secret: {leak}");
            }
        }
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                lines.Enqueue($"{category} scope {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
