using System.Net;
using System.Net.Http.Json;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Tests.Identity;

/// <summary>Budgets, rate limits and the usage ledger over HTTP, against the simulator.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class GovernanceApiTests(FrontDoorFixture fixture)
{
    private static object Chat(string model = "simulator", int maxTokens = 12, bool stream = false) =>
        new { model, max_tokens = maxTokens, stream, messages = new[] { new { role = "user", content = "hi" } } };

    [Fact]
    public async Task A_hundred_concurrent_calls_against_a_budget_for_ten_never_overspend_and_the_ledger_is_exact()
    {
        // One call: 4 prompt tokens and 12 output tokens, as the simulator counts them.
        const int perCall = 16;
        var tenant = await fixture.Http.CreateTenantAsync();
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant, budget: new { tokens = 10 * perCall, period = "day" }));

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => member.PostAsJsonAsync("/v1/chat/completions", Chat())));

        var served = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.InRange(served.Count, 1, 10);
        foreach (var response in refused)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, body);
            Assert.Contains("\"budget_exceeded\"", body);
            Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        }

        long input = 0, output = 0;
        foreach (var response in served)
        {
            var usage = (await response.JsonAsync(HttpStatusCode.OK))["usage"]!;
            input += usage.Value<long>("prompt_tokens");
            output += usage.Value<long>("completion_tokens");
        }

        Assert.True(input + output <= 10 * perCall, $"spent {input + output} of {10 * perCall}");
        var me = await member.GetFromJsonNodeAsync("/api/me");
        Assert.Equal(input + output, me.Value<long>("quota.spentTokens"));
        Assert.Equal(0, me.Value<long>("quota.reservedTokens"));

        var ledger = (await member.GetFromJsonNodeAsync("/api/usage")).AsArray();
        var total = Assert.Single(ledger)!;
        Assert.Equal(served.Count, total.Value<long>("requests"));
        Assert.Equal(input, total.Value<long>("inputTokens"));
        Assert.Equal(output, total.Value<long>("outputTokens"));
    }

    [Fact]
    public async Task A_tenant_budget_in_dollars_covers_all_its_keys_together()
    {
        // simulator: 1000 USD per million input and output tokens; one call costs 16 tokens = 0.016 USD.
        var tenant = await fixture.Http.CreateTenantAsync(budget: new { costUsd = 0.05m, period = "month" });
        using var first = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));
        using var second = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));

        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            results.Add((await (i % 2 == 0 ? first : second).PostAsJsonAsync("/v1/chat/completions", Chat())).StatusCode);
        }

        // Each call reserves 22 tokens (0.022 USD) and spends 16 (0.016 USD): the third would overspend.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], results);
        var usage = (await first.GetFromJsonNodeAsync("/api/usage?groupBy=key")).AsArray();
        Assert.Equal(2, usage.Count);
        Assert.True(usage.Sum(r => r!.Value<decimal>("costUsd")) <= 0.05m);
    }

    [Fact]
    public async Task Over_the_requests_per_minute_limit_a_call_gets_429_rate_limited_with_retry_after_and_openai_headers()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", limits: new { requestsPerMinute = 2 }));
        (await member.PostAsJsonAsync("/v1/chat/completions", Chat())).EnsureSuccessStatusCode();
        (await member.PostAsJsonAsync("/v1/chat/completions", Chat())).EnsureSuccessStatusCode();

        var refused = await member.PostAsJsonAsync("/v1/chat/completions", Chat());

        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("\"rate_limited\"", body);
        Assert.Contains("\"rate_limit_error\"", body);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("2", refused.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.EndsWith("s", refused.Headers.GetValues("x-ratelimit-reset-requests").Single());
    }

    [Fact]
    public async Task Over_the_concurrency_limit_a_call_is_refused_and_passes_again_once_the_first_ends()
    {
        var agentId = await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName("held"), model = "trickle" });
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", limits: new { concurrentRequests = 1 }));
        var session = await member.OpenSessionAsync(agentId);
        var held = member.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "take your time" });
        await Eventually.TrueAsync(() => fixture.Trickle.Engine.Running > 0, TimeSpan.FromSeconds(15), "the first call to reach the backend");

        var refused = await member.PostAsJsonAsync("/v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("\"rate_limited\"", await refused.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter!.Delta);
        (await held).EnsureSuccessStatusCode();
        (await member.PostAsJsonAsync("/v1/chat/completions", Chat())).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_session_message_refused_by_a_limit_is_not_stored()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", limits: new { requestsPerMinute = 1 }));
        var session = await member.OpenSessionAsync(await member.CreateAgentAsync(new { name = Api.UniqueName("limited") }));
        (await member.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "first" })).EnsureSuccessStatusCode();

        var refused = await member.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "second" });

        await refused.ProblemAsync(429, "rate_limited");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(2, (await member.GetFromJsonNodeAsync($"/api/sessions/{session}/messages")).AsArray().Count);
    }

    [Fact]
    public async Task A_system_prompt_whose_variables_would_multiply_past_the_limit_is_refused()
    {
        var agentId = await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName("amplified"), systemPrompt = string.Concat(Enumerable.Repeat("{{v}} ", 20)) });

        var problem = await (await fixture.Http.PostJsonAsync("/api/sessions", new { agentId, variables = new { v = new string('x', 4000) } }))
            .ProblemAsync(400, "validation_failed", "variables");

        Assert.Contains("64000", problem.Value<string>("detail"));
        Assert.Equal(HttpStatusCode.Created, (await fixture.Http.PostJsonAsync("/api/sessions", new { agentId, variables = new { v = "short" } })).StatusCode);
    }

    [Fact]
    public async Task Usage_is_grouped_by_key_agent_model_and_day_and_exported_as_csv_members_seeing_only_their_tenant()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        var key = await fixture.Http.CreateKeyAsync("member", tenant);
        using var member = fixture.Grid.Client(key);
        var agentId = await member.CreateAgentAsync(new { name = Api.UniqueName("ledger") });
        var session = await member.OpenSessionAsync(agentId);
        (await member.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "one" })).EnsureSuccessStatusCode();
        (await member.PostAsJsonAsync("/v1/chat/completions", Chat())).EnsureSuccessStatusCode();

        var byAgent = (await member.GetFromJsonNodeAsync("/api/usage?groupBy=agent,model,day")).AsArray();
        Assert.Equal(2, byAgent.Count);
        Assert.Contains(byAgent, r => r!.Value<string>("agent") == agentId && r.Value<long>("requests") == 1);
        Assert.All(byAgent, r => Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), r!.Value<string>("day")));
        // The member asked for another tenant: it still sees only its own.
        Assert.Equal(2, (await member.GetFromJsonNodeAsync("/api/usage?tenant=default")).AsArray().Single()!.Value<long>("requests"));

        var csv = new HttpRequestMessage(HttpMethod.Get, "/api/usage?groupBy=key,model");
        csv.Headers.Accept.ParseAdd("text/csv");
        var export = await member.SendAsync(csv);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Trim().Split('\n');
        Assert.Equal("key,model,requests,inputTokens,outputTokens,cachedTokens,costUsd,toolRuns,uploadedBytes,workflowSteps", lines[0]);
        Assert.Single(lines.Skip(1));

        var byTenant = (await fixture.Http.GetFromJsonNodeAsync($"/api/usage?groupBy=tenant&tenant={tenant}")).AsArray();
        Assert.Equal(tenant, Assert.Single(byTenant)!.Value<string>("tenant"));
        await (await member.GetAsync("/api/usage?groupBy=weather")).ProblemAsync(400, "validation_failed", "groupBy");
        await (await member.GetAsync("/api/usage?from=2026-02-30")).ProblemAsync(400, "validation_failed", "from");
    }

    [Fact]
    public async Task A_usd_budget_refuses_models_without_a_price_rather_than_count_them_as_free()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", budget: new { costUsd = 100m, period = "day" }));

        var refused = await member.PostAsJsonAsync("/v1/chat/completions", Chat(model: "paced"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("no price", await refused.Content.ReadAsStringAsync());
        (await member.PostAsJsonAsync("/v1/chat/completions", Chat())).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_profiles_own_pricing_is_what_its_calls_cost()
    {
        var name = Api.UniqueName("priced");
        (await fixture.Http.PostAsync("/api/profiles", new StringContent($$"""
            name: {{name}}
            category: chat
            source: { type: huggingface, model_id: org/priced }
            container: { runtime: simulator }
            parameters: { ttft_ms: "1", itl_ms: "0", tokens_per_reply: "6" }
            resources: { gpu_memory_min: 1GB }
            scaling: { max_replicas: 1 }
            pricing: { input_per_million_usd: 2000, output_per_million_usd: 4000 }
            """, System.Text.Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        var tenant = await fixture.Http.CreateTenantAsync(budget: new { costUsd = 10m, period = "day" });
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));
        try
        {
            var usage = (await (await member.PostAsJsonAsync("/v1/chat/completions", Chat(model: name))).JsonAsync(HttpStatusCode.OK))["usage"]!;

            var row = (await member.GetFromJsonNodeAsync("/api/usage")).AsArray().Single()!;
            var expected = (usage.Value<long>("prompt_tokens") * 2000m + usage.Value<long>("completion_tokens") * 4000m) / 1_000_000m;
            Assert.Equal(expected, row.Value<decimal>("costUsd"));
            Assert.True(expected > 0);
        }
        finally
        {
            foreach (var worker in (await fixture.Http.GetFromJsonNodeAsync($"/api/workers?model={name}")).AsArray())
            {
                (await fixture.Http.DeleteAsync($"/api/workers/{worker!.Value<string>("worker.workerId")}")).EnsureSuccessStatusCode();
            }
        }
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_a_signalr_connection_it_opened_before()
    {
        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = Api.UniqueName("hub"), role = "member" })).JsonAsync(HttpStatusCode.Created);
        using var member = fixture.Grid.Client(created.Value<string>("key"));
        var session = await member.OpenSessionAsync(await member.CreateAgentAsync(new { name = Api.UniqueName("hub") }));
        await using var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, created.Value<string>("key"));
        await hub.InvokeAsync<object>("SendMessage", session, "before");

        (await fixture.Http.DeleteAsync($"/api/keys/{created.Value<string>("id")}")).EnsureSuccessStatusCode();

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<object>("SendMessage", session, "after"));
        Assert.StartsWith("unauthenticated", refused.Message[(refused.Message.IndexOf("HubException: ", StringComparison.Ordinal) is var i and >= 0 ? i + 14 : 0)..]);
        Assert.Equal(2, (await fixture.Http.GetFromJsonNodeAsync($"/api/sessions/{session}/messages")).AsArray().Count);
    }

    [Fact]
    public async Task Keys_are_shown_once_listed_by_prefix_and_bad_key_requests_are_refused_by_field()
    {
        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "ci", role = "reader" })).JsonAsync(HttpStatusCode.Created);
        var key = created.Value<string>("key");
        Assert.StartsWith("agk_", key);
        Assert.True(key.Length >= 4 + 43, "256 random bits");

        var listed = (await fixture.Http.GetFromJsonNodeAsync("/api/keys")).AsArray().Single(k => k!.Value<string>("id") == created.Value<string>("id"))!;
        Assert.Null(listed["key"]);
        Assert.Equal(key[..12], listed.Value<string>("prefix"));
        Assert.DoesNotContain(key, await fixture.Http.GetStringAsync("/api/keys"));

        await (await fixture.Http.PostJsonAsync("/api/keys", new { role = "reader" })).ProblemAsync(400, "validation_failed", "name");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x" })).ProblemAsync(400, "validation_failed", "role");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "owner" })).ProblemAsync(400, "validation_failed");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "reader", tenant = "nobody-here" })).ProblemAsync(404, "tenant_not_found");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "reader", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) })).ProblemAsync(400, "validation_failed", "expiresAt");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "reader", limits = new { requestsPerMinute = 0 } })).ProblemAsync(400, "validation_failed", "limits.requestsPerMinute");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "reader", budget = new { period = "day" } })).ProblemAsync(400, "validation_failed", "budget");
        await (await fixture.Http.DeleteAsync("/api/keys/key_0000000000000000")).ProblemAsync(404, "key_not_found");
        var tenant = await fixture.Http.CreateTenantAsync();
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "admin", tenant })).ProblemAsync(400, "validation_failed", "role");
        await (await fixture.Http.PostJsonAsync("/api/tenants", new { id = "default" })).ProblemAsync(409, "tenant_already_exists", "id");
        await (await fixture.Http.PostJsonAsync("/api/tenants", new { id = "bad id!" })).ProblemAsync(400, "validation_failed", "id");
    }
}
