using System.Net;
using System.Text;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Tests.Identity;

/// <summary>The attack surface the identity work closed: profiles, streams, what non-admins see, the browser surface.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class HardeningTests(FrontDoorFixture fixture)
{
    private Task<HttpResponseMessage> PostProfileAsync(string yaml) =>
        fixture.Http.PostAsync("/api/profiles", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    private static string Profile(string name, string extra = "") => $"""
        name: {name}
        category: chat
        source: {"{"} type: huggingface, model_id: org/model {"}"}
        container: {"{"} runtime: simulator {"}"}
        resources: {"{"} gpu_memory_min: 1GB, gpu_count: 1 {"}"}
        performance: {"{"} max_batch_size: 4, max_concurrent_requests: 4, max_queue: 4 {"}"}
        scaling: {"{"} max_replicas: 1 {"}"}
        {extra}
        """;

    [Fact]
    public async Task Profiles_with_yaml_anchors_aliases_deep_nesting_or_over_the_size_limit_are_refused()
    {
        // The "billion laughs": each line doubles what the last one expands to.
        var bomb = Profile(Api.UniqueName("bomb"), "notes: &a [x, x]\ntags: [*a, *a]");
        var problem = await (await PostProfileAsync(bomb)).ProblemAsync(400, "validation_failed", "body");
        Assert.Contains("anchors", problem.Value<string>("detail"));

        var alias = Profile(Api.UniqueName("alias"), "tags: *undefined");
        await (await PostProfileAsync(alias)).ProblemAsync(400, "validation_failed", "body");

        var deep = Profile(Api.UniqueName("deep"), "benchmarks: " + new string('[', 20) + new string(']', 20));
        Assert.Contains("levels deep", (await (await PostProfileAsync(deep)).ProblemAsync(400, "validation_failed", "body")).Value<string>("detail"));

        var huge = Profile(Api.UniqueName("huge"), "notes: " + new string('x', 70_000));
        Assert.Contains("at most", (await (await PostProfileAsync(huge)).ProblemAsync(400, "validation_failed", "body")).Value<string>("detail"));
    }

    [Fact]
    public async Task A_profile_created_through_the_api_can_be_deleted_and_a_shipped_one_cannot()
    {
        var name = Api.UniqueName("gone");
        (await PostProfileAsync(Profile(name))).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Http.DeleteAsync($"/api/profiles/{name}")).StatusCode);

        await (await fixture.Http.GetAsync($"/api/profiles/{name}")).ProblemAsync(404, "profile_not_found");
        await (await fixture.Http.DeleteAsync($"/api/profiles/{name}")).ProblemAsync(404, "profile_not_found");
        await (await fixture.Http.DeleteAsync("/api/profiles/sim-chat-8b")).ProblemAsync(400, "validation_failed", "name");
    }

    [Fact]
    public async Task Members_see_models_without_backend_addresses_or_backend_error_text()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member"));

        var asMember = await member.GetStringAsync("/api/models");
        var asAdmin = await fixture.Http.GetStringAsync("/api/models");

        Assert.Contains(fixture.Paced.BaseUrl.Port.ToString(), asAdmin);
        Assert.DoesNotContain("127.0.0.1", asMember);
        Assert.DoesNotContain("refused", asMember);
        Assert.Contains("The model does not answer.", asMember);
    }

    [Fact]
    public async Task A_key_may_hold_only_so_many_event_streams_open_at_once()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member"));
        var session = await member.OpenSessionAsync(await member.CreateAgentAsync(new { name = Api.UniqueName("streams") }));
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 32; i++)
            {
                var stream = await member.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{session}/events"), HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
                open.Add(stream);
            }

            var refused = await member.GetAsync($"/api/sessions/{session}/events");

            await refused.ProblemAsync(429, "too_many_streams");
            await using var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, member.DefaultRequestHeaders.Authorization!.Parameter!);
            var hubRefused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(async () =>
            {
                await foreach (var _ in hub.StreamAsync<object>("StreamSession", session, 0L))
                {
                }
            });
            Assert.Contains("too_many_streams", hubRefused.Message);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }

        // Closing them gives the slots back.
        await Eventually.TrueAsync(async () =>
        {
            using var again = await member.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{session}/events"), HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10), "a stream slot to be free again");
    }

    [Fact]
    public async Task The_page_is_served_with_security_headers_and_the_hub_refuses_a_foreign_origin()
    {
        using var anonymous = fixture.Grid.Client(null);
        var page = await anonymous.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var foreign = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "https://evil.example");
        await (await fixture.Http.SendAsync(foreign)).ProblemAsync(403, "forbidden");

        // Its own host, whether the browser came over http or (behind a proxy that ends TLS) https.
        foreach (var scheme in new[] { "http", "https" })
        {
            var own = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
            own.Headers.Add("Origin", $"{scheme}://{fixture.Grid.Address.Authority}");
            Assert.Equal(HttpStatusCode.OK, (await fixture.Http.SendAsync(own)).StatusCode);
        }

        // No cross-origin grant unless configured.
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/agents");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        Assert.False((await anonymous.SendAsync(preflight)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Max_tokens_is_capped_by_the_models_limit_and_sent_when_the_caller_names_none()
    {
        foreach (var maxTokens in new int?[] { 100, null })
        {
            var reply = await (await fixture.Http.PostJsonAsync("/v1/chat/completions", new
            {
                model = "capped",
                max_tokens = maxTokens,
                messages = new[] { new { role = "user", content = "as long as you like" } },
            })).JsonAsync(HttpStatusCode.OK);

            Assert.Equal(5, reply.Value<int>("usage.completion_tokens"));
            Assert.Equal("length", reply["choices"]![0]!.Value<string>("finish_reason"));
        }
    }

    [Fact]
    public async Task The_embedded_grid_answers_only_to_this_machines_names()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "attacker.example";

        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Http.SendAsync(request)).StatusCode);
    }
}
