using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Cluster;

/// <summary>PostgreSQL restarted and Redis down while the cluster serves.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDependencyTests(ClusterFixture cluster)
{
    private HttpClient Http => cluster.Http;

    private Task<HttpResponseMessage> SendAsync(string sessionId, string content) =>
        Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content });

    [Fact]
    public async Task A_postgres_restart_fails_writes_with_503_loses_nothing_acknowledged_and_heals_by_itself()
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "Short." }));
        await (await SendAsync(sessionId, "before the outage")).JsonAsync(HttpStatusCode.OK);

        cluster.Postgres.Kill();
        var during = await SendAsync(sessionId, "during the outage");
        await during.ProblemAsync(503, "service_unavailable");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await cluster.SiloReadinessAsync("a")).StatusCode);

        await cluster.Postgres.RestartAsync();
        await Eventually.TrueAsync(async () => (await SendAsync(sessionId, "after the outage")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the session to answer again");

        var contents = (await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync())
            .Where(m => m!["role"]!.GetValue<string>() == "user").Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Equal("before the outage", contents[0]);
        Assert.Equal("after the outage", contents[^1]);
        Assert.DoesNotContain("during the outage", contents);
        Assert.Equal(HttpStatusCode.OK, (await cluster.SiloReadinessAsync("a")).StatusCode);
    }

    [Fact]
    public async Task With_redis_down_existing_sessions_keep_serving_and_membership_comes_back_with_redis()
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "Short." }));
        await (await SendAsync(sessionId, "before")).JsonAsync(HttpStatusCode.OK);

        cluster.Redis.Kill();
        await (await SendAsync(sessionId, "while redis is down")).JsonAsync(HttpStatusCode.OK);
        var readiness = JsonNode.Parse(await (await cluster.SiloReadinessAsync("a")).Content.ReadAsStringAsync())!;
        Assert.Equal("Degraded", readiness["checks"]!["redis"]!["status"]!.GetValue<string>());

        await cluster.Redis.RestartAsync();
        await Eventually.TrueAsync(async () =>
            JsonNode.Parse(await (await cluster.SiloReadinessAsync("a")).Content.ReadAsStringAsync())!["checks"]!["redis"]!["status"]!.GetValue<string>() == "Healthy",
            TimeSpan.FromSeconds(30), "the silo to see Redis again");
        await (await SendAsync(sessionId, "after")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, (await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync()).Count);
    }
}
