using System.Net;
using System.Net.Http.Json;
using AgentGrid.FrontDoor.Chat;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;
using AgentGrid.Tests.Tools;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.Identity;

/// <summary>
/// Walks every endpoint the front door maps (read from its endpoint data source, so a new endpoint is walked too)
/// and every hub method, with no key, a malformed key, a revoked key, an expired key, a reader key and another
/// tenant's member key.
/// </summary>
[Collection(FrontDoorCollection.Name)]
public sealed partial class EndpointAuthorizationTests(FrontDoorFixture fixture)
{
    private static readonly string[] Anonymous = ["/healthz", "/readyz"];

    /// <summary>Well-formed ids that name nothing: what another tenant's real ids must look exactly like.</summary>
    private static readonly Seeded Missing = new("agt_0000000000000000", "ses_0000000000000000", "kb_0000000000000000",
        "doc_0000000000000000", "tool_0000000000000000", "mem_0000000000000000", "wf_0000000000000000", "run_0000000000000000");

    /// <summary>Real ids of the walking tenant, one of each kind an endpoint takes.</summary>
    private sealed record Seeded(string Agent, string Session, string KnowledgeBase, string Document, string Tool, string Memory, string Workflow, string Run);

    private IReadOnlyList<(string Method, string Pattern, string[] Policies, bool AllowsAnonymous)> Endpoints() =>
    [
        .. fixture.Grid.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (
                method,
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "").ToArray(),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Where(e => e.method != "OPTIONS"),
    ];

    [Fact]
    public void Every_endpoint_names_a_policy_and_only_health_is_anonymous()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        foreach (var (method, pattern, policies, anonymous) in endpoints)
        {
            if (anonymous)
            {
                Assert.Contains(pattern, Anonymous);
                continue;
            }

            Assert.True(policies.Any(p => p.Length > 0), $"{method} {pattern} names no authorization policy");
        }
    }

    [Fact]
    public async Task Without_a_valid_key_every_endpoint_but_health_answers_401_and_changes_nothing()
    {
        var seeded = await SeedAsync();
        var revoked = await RevokedKeyAsync();
        var expired = await ExpiringKeyAsync(TimeSpan.FromSeconds(2));
        var before = await SnapshotAsync(seeded);
        await WaitPastAsync(expired.ExpiresAt);

        foreach (var key in new[] { null, "not-a-key", "agk_" + new string('x', 43), revoked, expired.Key })
        {
            using var http = fixture.Grid.Client(key);
            foreach (var (method, pattern, _, anonymous) in Endpoints().Where(e => !e.AllowsAnonymous))
            {
                using var response = await http.SendAsync(Request(method, pattern, seeded), HttpCompletionOption.ResponseHeadersRead);
                var what = $"{method} {pattern} with {(key is null ? "no key" : key == revoked ? "a revoked key" : key == expired.Key ? "an expired key" : "a malformed key")}";
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
                Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
                Assert.Contains("\"unauthenticated\"", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal(before, await SnapshotAsync(seeded));
        using var anonymousClient = fixture.Grid.Client(null);
        foreach (var path in Anonymous)
        {
            var health = await anonymousClient.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            // Anonymous callers learn nothing about dependencies.
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_reader_key_reads_but_every_write_and_admin_endpoint_answers_403()
    {
        var seeded = await SeedAsync();
        var before = await SnapshotAsync(seeded);
        using var reader = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("reader"));

        foreach (var (method, pattern, policies, _) in Endpoints().Where(e => !e.AllowsAnonymous))
        {
            using var response = await reader.SendAsync(Request(method, pattern, seeded), HttpCompletionOption.ResponseHeadersRead);
            var what = $"{method} {pattern} as a reader";
            if (policies.Contains(Policies.Member) || policies.Contains(Policies.Admin) || policies.Contains(Policies.Metrics))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode}");
                Assert.Contains("\"forbidden\"", await response.Content.ReadAsStringAsync());
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{what}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await SnapshotAsync(seeded));
    }

    [Fact]
    public async Task Another_tenants_member_gets_403_on_admin_endpoints_and_404_for_ids_exactly_as_for_missing_ones()
    {
        var seeded = await SeedAsync();
        var before = await SnapshotAsync(seeded);
        var tenant = await fixture.Http.CreateTenantAsync();
        using var other = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));
        var walked = new List<string>();

        foreach (var (method, pattern, policies, _) in Endpoints().Where(e => !e.AllowsAnonymous))
        {
            var what = $"{method} {pattern} as another tenant's member";
            if (policies.Contains(Policies.Admin) || policies.Contains(Policies.Metrics))
            {
                using var refused = await other.SendAsync(Request(method, pattern, seeded), HttpCompletionOption.ResponseHeadersRead);
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)refused.StatusCode}");
                continue;
            }

            if (!IdParameter().IsMatch(pattern))
            {
                continue;
            }

            walked.Add($"{method} {pattern}");
            using var theirs = await other.SendAsync(Request(method, pattern, seeded), HttpCompletionOption.ResponseHeadersRead);
            using var missing = await fixture.Http.SendAsync(Request(method, pattern, Missing), HttpCompletionOption.ResponseHeadersRead);
            var body = await theirs.Content.ReadAsStringAsync();
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{what}: {(int)theirs.StatusCode} {body}");
            Assert.Equal(missing.StatusCode, theirs.StatusCode);
            Assert.Equal(Code(await missing.Content.ReadAsStringAsync()), Code(body));
        }

        // Real ids of every kind were tried, not stand-ins: knowledge bases, their documents, tools, agents' memories.
        Assert.Superset(new HashSet<string>
        {
            "GET /api/knowledge-bases/{id}", "PUT /api/knowledge-bases/{id}", "DELETE /api/knowledge-bases/{id}",
            "POST /api/knowledge-bases/{id}/documents", "GET /api/knowledge-bases/{id}/documents", "GET /api/knowledge-bases/{id}/documents/{documentId}",
            "DELETE /api/knowledge-bases/{id}/documents/{documentId}", "GET /api/knowledge-bases/{id}/search", "GET /api/knowledge-bases/{id}/events",
        }, walked.ToHashSet());
        Assert.Contains("POST /api/tools/{id}/invoke", walked);
        Assert.Contains("DELETE /api/agents/{agentId}/memories/{memoryId}", walked);
        Assert.Contains("POST /api/workflows/{id}/runs", walked);
        Assert.Contains("POST /api/workflow-runs/{id}/approvals/{stepId}", walked);
        Assert.Contains("POST /api/sessions/{id}/approvals/{callId}", walked);
        Assert.Contains("GET /api/sessions/{id}/tool-calls", walked);
        Assert.Equal(before, await SnapshotAsync(seeded));
    }

    /// <summary>
    /// Two owners in one tenant: what is shared in a tenant (agents, knowledge bases, tools, workflows) the second reaches;
    /// what is the first's own (sessions, memories, tool-call logs) answers exactly as a missing id does, on every endpoint.
    /// </summary>
    [Fact]
    public async Task A_second_owner_in_the_same_tenant_finds_the_first_owners_sessions_memories_and_tool_runs_missing()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        using var first = fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("member", tenant, "first-owner"));
        var secondKey = await fixture.Http.CreateOwnedKeyAsync("member", tenant, "second-owner");
        using var second = fixture.Grid.Client(secondKey);
        var seeded = await SeedAsync(first);
        var before = await SnapshotAsync(seeded, first);
        var ownEndpoints = new List<string>();

        foreach (var (method, pattern, policies, _) in Endpoints().Where(e => !e.AllowsAnonymous && IdParameter().IsMatch(e.Pattern)))
        {
            if (policies.Contains(Policies.Admin) || policies.Contains(Policies.Metrics))
            {
                continue;
            }

            var own = pattern.StartsWith("/api/sessions/", StringComparison.Ordinal) || pattern.Contains("{memoryId}", StringComparison.Ordinal);
            var request = Request(method, pattern, seeded);
            var path = request.RequestUri!.OriginalString;
            if (!own && (method != "GET" || path.EndsWith("/x", StringComparison.Ordinal) || path.Contains("/x/", StringComparison.Ordinal)))
            {
                // A member may change what the tenant shares, and ids nothing was seeded for are missing for everyone: not for this walk.
                continue;
            }

            var what = $"{method} {pattern} as a second owner";
            using var theirs = await second.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            // A stream the second owner may follow (a shared knowledge base's events) is open, and never ends by itself.
            var body = theirs.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await theirs.Content.ReadAsStringAsync();
            if (own)
            {
                ownEndpoints.Add($"{method} {pattern}");
                using var missing = await first.SendAsync(Request(method, pattern, Missing with { Agent = seeded.Agent }), HttpCompletionOption.ResponseHeadersRead);
                Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{what}: {(int)theirs.StatusCode} {body}");
                Assert.Equal(missing.StatusCode, theirs.StatusCode);
                Assert.Equal(Code(await missing.Content.ReadAsStringAsync()), Code(body));
            }
            else
            {
                // Shared within the tenant: never refused as missing, and what it answers holds nothing of the first owner's.
                Assert.True(theirs.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{what}: {(int)theirs.StatusCode} {body}");
                Assert.DoesNotContain(seeded.Session, body);
                Assert.DoesNotContain(seeded.Memory, body);
            }
        }

        Assert.Superset(new HashSet<string>
        {
            "GET /api/sessions/{id}", "DELETE /api/sessions/{id}", "GET /api/sessions/{id}/messages", "POST /api/sessions/{id}/messages",
            "POST /api/sessions/{id}/approvals/{callId}", "GET /api/sessions/{id}/tool-calls", "GET /api/sessions/{id}/events",
            "DELETE /api/agents/{agentId}/memories/{memoryId}",
        }, ownEndpoints.ToHashSet());

        var executions = await second.GetStringAsync($"/api/tools/{seeded.Tool}/executions");
        Assert.Equal("""{"executions":[]}""", executions);
        Assert.DoesNotContain(seeded.Memory, await second.GetStringAsync($"/api/agents/{seeded.Agent}/memories"));

        await using var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, secondKey);
        foreach (var call in new Func<Task>[]
        {
            () => hub.InvokeAsync<object>("SendMessage", seeded.Session, "hello"),
            () => hub.InvokeAsync<bool>("CancelTurn", seeded.Session),
            () => hub.InvokeAsync<bool>("StopReply", seeded.Session, "msg_x"),
            () => hub.InvokeAsync<object>("ApproveToolCall", seeded.Session, "call_x", null),
            () => hub.InvokeAsync<object>("DenyToolCall", seeded.Session, "call_x", null),
            async () => { await foreach (var _ in hub.StreamAsync<object>("StreamSession", seeded.Session, 0L)) { } },
        })
        {
            var missing = await Assert.ThrowsAsync<HubException>(call);
            Assert.Contains("session_not_found", missing.Message);
        }

        Assert.Equal(before, await SnapshotAsync(seeded, first));
    }

    [Fact]
    public async Task Hub_methods_need_a_key_writes_need_a_member_and_other_tenants_sessions_do_not_exist()
    {
        var seeded = await SeedAsync();
        var sessionId = seeded.Session;
        var before = await SnapshotAsync(seeded);
        string[] covered = ["SendMessage", "StreamSession", "CancelTurn", "StopReply", "ApproveToolCall", "DenyToolCall"];
        Assert.Equal(covered.Order(), typeof(ChatHub).GetMethods().Where(m => m.DeclaringType == typeof(ChatHub) && !m.IsSpecialName && m.IsPublic
            && m.Name != nameof(Hub.OnConnectedAsync)).Select(m => m.Name).Order());

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ChatHubClient.ConnectAsync(fixture.Grid.Address, "not-a-key"));

        await using var reader = await ChatHubClient.ConnectAsync(fixture.Grid.Address, await fixture.Http.CreateKeyAsync("reader"));
        foreach (var write in new Func<Task>[]
        {
            () => reader.InvokeAsync<object>("SendMessage", sessionId, "hello"),
            () => reader.InvokeAsync<bool>("CancelTurn", sessionId),
            () => reader.InvokeAsync<bool>("StopReply", sessionId, "msg_x"),
            () => reader.InvokeAsync<object>("ApproveToolCall", sessionId, "call_x", null),
            () => reader.InvokeAsync<object>("DenyToolCall", sessionId, "call_x", null),
        })
        {
            var refused = await Assert.ThrowsAsync<HubException>(write);
            Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        var tenant = await fixture.Http.CreateTenantAsync();
        await using var other = await ChatHubClient.ConnectAsync(fixture.Grid.Address, await fixture.Http.CreateKeyAsync("member", tenant));
        foreach (var call in new Func<Task>[]
        {
            () => other.InvokeAsync<object>("SendMessage", sessionId, "hello"),
            () => other.InvokeAsync<bool>("CancelTurn", sessionId),
            () => other.InvokeAsync<bool>("StopReply", sessionId, "msg_x"),
            () => other.InvokeAsync<object>("ApproveToolCall", sessionId, "call_x", null),
            () => other.InvokeAsync<object>("DenyToolCall", sessionId, "call_x", null),
            async () => { await foreach (var _ in other.StreamAsync<object>("StreamSession", sessionId, 0L)) { } },
        })
        {
            var missing = await Assert.ThrowsAsync<HubException>(call);
            Assert.Contains("session_not_found", missing.Message);
        }

        Assert.Equal(before, await SnapshotAsync(seeded));
    }

    /// <summary>One of each kind of thing an endpoint takes an id of, made by <paramref name="owner"/> (the admin when null).</summary>
    private async Task<Seeded> SeedAsync(HttpClient? owner = null)
    {
        var http = owner ?? fixture.Http;
        var agentId = await http.CreateAgentAsync(new { name = Api.UniqueName("walk") });
        var sessionId = await http.OpenSessionAsync(agentId);
        (await http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" })).EnsureSuccessStatusCode();
        var kb = await http.CreateKnowledgeBaseAsync();
        var documents = await http.UploadReadyAsync(kb, KnowledgeClient.Text("walk.txt", "Walked by every endpoint."));
        var tool = await http.CreateToolAsync(new { name = Api.UniqueName("walk"), kind = "files" });
        await http.InvokeAsync(tool, new { operation = "list_directory", path = "" });
        var memory = await (await http.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "Walks every endpoint." })).JsonAsync(HttpStatusCode.Created);
        var workflow = (await (await http.PostJsonAsync("/api/workflows", new { name = "walked", steps = new[] { new { id = "hold", approval = "Walk?" } } }))
            .JsonAsync(HttpStatusCode.Created)).Value<string>("id");
        var run = (await (await http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "walk" })).JsonAsync(HttpStatusCode.Accepted)).Value<string>("id");
        await AgentGrid.Tests.Workflows.WorkflowEvents.WaitAsync(http, run);
        return new Seeded(agentId, sessionId, kb, documents[0].Value<string>("id"), tool, memory.Value<string>("id"), workflow, run);
    }

    /// <summary>What the walk must leave as it was, as its owner sees it: the agent, the history, the knowledge base, the tool, its log and the memories.</summary>
    private async Task<string> SnapshotAsync(Seeded seeded, HttpClient? owner = null)
    {
        var http = owner ?? fixture.Http;
        return string.Concat(await Task.WhenAll(
            http.GetStringAsync($"/api/agents/{seeded.Agent}"),
            http.GetStringAsync($"/api/sessions/{seeded.Session}/messages"),
            http.GetStringAsync($"/api/knowledge-bases/{seeded.KnowledgeBase}/documents"),
            http.GetStringAsync($"/api/tools/{seeded.Tool}"),
            http.GetStringAsync($"/api/tools/{seeded.Tool}/executions"),
            http.GetStringAsync($"/api/agents/{seeded.Agent}/memories"),
            http.GetStringAsync($"/api/workflows/{seeded.Workflow}"),
            http.GetStringAsync($"/api/workflow-runs/{seeded.Run}")));
    }

    private async Task<string> RevokedKeyAsync()
    {
        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = Api.UniqueName("revoked"), role = "admin" })).JsonAsync(HttpStatusCode.Created);
        var key = created.Value<string>("key");
        using var http = fixture.Grid.Client(key);
        (await http.GetAsync("/api/me")).EnsureSuccessStatusCode();
        (await fixture.Http.DeleteAsync($"/api/keys/{created.Value<string>("id")}")).EnsureSuccessStatusCode();
        return key;
    }

    private async Task<(string Key, DateTimeOffset ExpiresAt)> ExpiringKeyAsync(TimeSpan life)
    {
        var expiresAt = DateTimeOffset.UtcNow + life;
        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = Api.UniqueName("expiring"), role = "admin", expiresAt })).JsonAsync(HttpStatusCode.Created);
        return (created.Value<string>("key"), expiresAt);
    }

    // Expiry is a point on the clock: the only thing to wait for is the clock passing it.
    private static async Task WaitPastAsync(DateTimeOffset at)
    {
        var left = at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("{(id|[A-Za-z]+Id)}")]
    private static partial System.Text.RegularExpressions.Regex IdParameter();

    private static HttpRequestMessage Request(string method, string pattern, Seeded ids)
    {
        var path = pattern
            .Replace("{version:int}", "1")
            .Replace("{**slug}", "x")
            .Replace("{model}", "simulator")
            .Replace("{name}", "simulator")
            .Replace("{agentId}", ids.Agent)
            .Replace("{documentId}", ids.Document)
            .Replace("{memoryId}", ids.Memory);
        var id = path.StartsWith("/api/agents", StringComparison.Ordinal) ? ids.Agent
            : path.StartsWith("/api/sessions", StringComparison.Ordinal) ? ids.Session
            : path.StartsWith("/api/knowledge-bases", StringComparison.Ordinal) ? ids.KnowledgeBase
            : path.StartsWith("/api/tools", StringComparison.Ordinal) ? ids.Tool
            : path.StartsWith("/api/workflows", StringComparison.Ordinal) ? ids.Workflow
            : path.StartsWith("/api/workflow-runs", StringComparison.Ordinal) ? ids.Run
            : "x";
        path = path.Replace("{id}", id);
        path = System.Text.RegularExpressions.Regex.Replace(path, "{[^}:]+:int}", "1");
        path = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "x");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { content = "walked", name = Api.UniqueName("walked"), role = "reader", id = Api.UniqueName("walked"), approved = false });
        }

        return request;
    }

    private static string? Code(string body) =>
        System.Text.Json.Nodes.JsonNode.Parse(body) is System.Text.Json.Nodes.JsonObject o ? (string?)(o["code"] ?? o["error"]?["code"]) : null;
}
