using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>The operators' endpoints: the Orleans dashboard behind the admin credential, Prometheus metrics, correlation ids.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class OperatorEndpointTests(FrontDoorFixture fixture)
{
    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<HttpResponseMessage> DashboardAsync(AuthenticationHeaderValue? credential, string path = "/dashboard/")
    {
        using var http = fixture.Grid.Client(null);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = credential;
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task The_dashboard_refuses_anonymous_and_wrong_credentials()
    {
        var anonymous = await DashboardAsync(null);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        await anonymous.ProblemAsync(401, "unauthenticated");

        await (await DashboardAsync(Basic("admin", "guess-guess-guess-guess-guess"))).ProblemAsync(401, "unauthenticated");
        await (await DashboardAsync(new AuthenticationHeaderValue("Basic", "not base64!"))).ProblemAsync(401, "unauthenticated");
        await (await DashboardAsync(null, "/dashboard/DashboardCounters")).ProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task The_dashboard_opens_with_an_admin_key_as_bearer_or_basic_password()
    {
        foreach (var credential in new[] { Basic("anyone", fixture.Grid.AdminKey), new AuthenticationHeaderValue("Bearer", fixture.Grid.AdminKey) })
        {
            var page = await DashboardAsync(credential);

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_dashboard_and_metrics_refuse_a_member_key()
    {
        var member = await fixture.Http.CreateKeyAsync("member");

        await (await DashboardAsync(new AuthenticationHeaderValue("Bearer", member))).ProblemAsync(403, "forbidden");
        using var http = fixture.Grid.Client(member);
        await (await http.GetAsync("/metrics")).ProblemAsync(403, "forbidden");
        using var anonymous = fixture.Grid.Client(null);
        await (await anonymous.GetAsync("/metrics")).ProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task Metrics_expose_requests_tokens_ttft_activations_gpu_memory_and_key_lookups_in_prometheus_format()
    {
        await (await fixture.Http.PostChatAsync(new { model = "simulator", messages = new[] { new { role = "user", content = "count me" } } }))
            .JsonAsync(HttpStatusCode.OK);

        string text = "";
        List<string> missing = [];
        string[] series =
        [
            "http_server_request_duration_seconds_count", "agentgrid_tokens_input_total", "agentgrid_tokens_output_total",
            "agentgrid_ttft_milliseconds_bucket", "orleans_catalog_activations", "agentgrid_gpu_memory_mebibytes",
            "agentgrid_auth_key_cache_total",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        await Eventually.TrueAsync(async () =>
        {
            if (DateTime.UtcNow > deadline.AddSeconds(-1))
            {
                Assert.Fail($"missing: {string.Join(", ", missing)}; got: {text[..Math.Min(text.Length, 1500)]}");
            }

            var response = await fixture.Http.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
            missing = [.. series.Where(s => !text.Contains(s + "{", StringComparison.Ordinal) && !text.Contains(s + " ", StringComparison.Ordinal))];
            return response.IsSuccessStatusCode && missing.Count == 0;
        }, TimeSpan.FromSeconds(20), "every named series in /metrics");
        Assert.Empty(missing);

        Assert.Contains("# TYPE agentgrid_tokens_output_total counter", text);
        Assert.Contains("kind=\"schedulable\"", text);
        Assert.Contains("model=\"simulator\"", text);
    }

    [Fact]
    public async Task Every_response_carries_a_correlation_id_and_echoes_the_callers()
    {
        var fresh = await fixture.Http.GetAsync("/healthz");
        Assert.False(string.IsNullOrEmpty(fresh.Headers.GetValues("X-Correlation-Id").Single()));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/agents/agt_missing") { Headers = { { "X-Correlation-Id", "req-42.abc" } } };
        var echoed = await fixture.Http.SendAsync(request);
        Assert.Equal("req-42.abc", echoed.Headers.GetValues("X-Correlation-Id").Single());
    }
}

/// <summary>One trace from the front door through the grain calls to the model server.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class TracingTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task A_chat_request_is_one_trace_from_the_front_door_to_the_model_server()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom();
        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Source, string Name)>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Microsoft.Orleans.Application" or "AgentGrid.Grains" or "System.Net.Http",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    seen.Add((activity.Source.Name, activity.OperationName));
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "simulator", messages = new[] { new { role = "user", content = "trace me" } } }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01");

        await (await fixture.Http.SendAsync(request)).JsonAsync(HttpStatusCode.OK);

        await Eventually.TrueAsync(() => seen.Any(s => s.Source == "System.Net.Http"), TimeSpan.FromSeconds(10), "the model server call in the trace");
        Assert.Contains(seen, s => s.Source == "Microsoft.AspNetCore");
        Assert.Contains(seen, s => s.Source == "Microsoft.Orleans.Application");
        Assert.Contains(seen, s => s.Source == "AgentGrid.Grains" && s.Name == "model.call");
    }
}
