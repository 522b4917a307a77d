using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

[Collection(FrontDoorCollection.Name)]
public sealed class AuditLogTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task Admin_actions_and_refused_attempts_are_in_the_audit_log_with_who_what_when_and_result()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var tenant = Api.UniqueName("audited");
        (await fixture.Http.PostJsonAsync("/api/tenants", new { id = tenant })).EnsureSuccessStatusCode();
        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "audited", role = "member", tenant })).JsonAsync(HttpStatusCode.Created);
        var keyId = created.Value<string>("id");
        (await fixture.Http.DeleteAsync($"/api/keys/{keyId}")).EnsureSuccessStatusCode();
        await (await fixture.Http.DeleteAsync($"/api/keys/{keyId}x")).ProblemAsync(404, "key_not_found");
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member"));
        // Refusals are recorded once a minute per key and action: a key cannot flood the log.
        await (await member.PostJsonAsync("/api/workers", new { model = "sim-chat-8b" })).ProblemAsync(403, "forbidden");
        await (await member.PostJsonAsync("/api/workers", new { model = "sim-chat-8b" })).ProblemAsync(403, "forbidden");

        var entries = (await fixture.Http.GetFromJsonNodeAsync("/api/audit?limit=50")).AsArray().Select(e => e!).ToList();

        var admin = (await fixture.Http.GetFromJsonNodeAsync("/api/me")).Value<string>("id");
        Assert.Contains(entries, e => e.Value<string>("action") == "POST /api/tenants" && e.Value<int>("status") == 201 && e.Value<string>("keyId") == admin);
        Assert.Contains(entries, e => e.Value<string>("action") == "DELETE /api/keys/{id}" && e.Value<string>("target") == $"id={keyId}" && e.Value<int>("status") == 204);
        Assert.Contains(entries, e => e.Value<string>("action") == "DELETE /api/keys/{id}" && e.Value<string>("target") == $"id={keyId}x" && e.Value<int>("status") == 404);
        var refused = Assert.Single(entries, e => e.Value<string>("action") == "POST /api/workers" && e.Value<int>("status") == 403 && e.Value<DateTimeOffset>("at") > started);
        Assert.NotEqual(admin, refused.Value<string>("keyId"));
        Assert.True(entries.Select(e => e.Value<DateTimeOffset>("at")).SequenceEqual(entries.Select(e => e.Value<DateTimeOffset>("at")).OrderDescending()), "newest first");
        Assert.DoesNotContain(created.Value<string>("key"), await fixture.Http.GetStringAsync("/api/audit"));
        await (await member.GetAsync("/api/audit")).ProblemAsync(403, "forbidden");
    }
}

/// <summary>Members' writes to agents, tools, MCP servers, knowledge bases, workflows and approvals are audited as admin actions are.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class MemberAuditTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task A_members_writes_and_approvals_are_in_the_audit_log_without_their_secrets()
    {
        var memberKey = await fixture.Http.CreateKeyAsync("member");
        using var member = fixture.Grid.Client(memberKey);
        var memberId = (await member.GetFromJsonNodeAsync("/api/me")).Value<string>("id");
        const string canary = "Bearer mcp-header-canary-0123456789";

        var tool = await Tools.ToolClient.CreateToolAsync(member, new { name = Api.UniqueName("audited"), kind = "files" });
        (await member.PutAsJsonAsync($"/api/tools/{tool}", new { name = Api.UniqueName("audited"), kind = "files" })).EnsureSuccessStatusCode();
        (await member.DeleteAsync($"/api/tools/{tool}")).EnsureSuccessStatusCode();
        // Loopback is refused by the SSRF guard: a refused attach is audited too, and its header value is not.
        var attach = await member.PostJsonAsync("/api/mcp-servers", new { name = "audited", url = "http://127.0.0.1:9/mcp", headers = new Dictionary<string, string> { ["Authorization"] = canary } });
        Assert.False(attach.IsSuccessStatusCode);
        var kb = await Knowledge.Http.KnowledgeClient.CreateKnowledgeBaseAsync(member);
        var documents = await Knowledge.Http.KnowledgeClient.UploadReadyAsync(member, kb, Knowledge.Http.KnowledgeClient.Text("audited.txt", "Audited words."));
        (await member.DeleteAsync($"/api/knowledge-bases/{kb}/documents/{documents[0].Value<string>("id")}")).EnsureSuccessStatusCode();
        (await member.DeleteAsync($"/api/knowledge-bases/{kb}")).EnsureSuccessStatusCode();
        var workflow = (await (await member.PostJsonAsync("/api/workflows", new { name = Api.UniqueName("audited"), steps = new[] { new { id = "hold", approval = "Go?" } } }))
            .JsonAsync(HttpStatusCode.Created)).Value<string>("id");
        var run = (await (await member.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "audited" })).JsonAsync(HttpStatusCode.Accepted)).Value<string>("id");
        await Workflows.WorkflowEvents.WaitAsync(fixture.Http, run);
        (await member.PostJsonAsync($"/api/workflow-runs/{run}/approvals/hold", new { approved = false, reason = "audited" })).EnsureSuccessStatusCode();
        (await member.DeleteAsync($"/api/workflows/{workflow}")).EnsureSuccessStatusCode();
        var session = await member.OpenSessionAsync(await member.CreateAgentAsync(new { name = Api.UniqueName("audited") }));
        var approval = await member.PostJsonAsync($"/api/sessions/{session}/approvals/call_missing", new { approved = true });
        await using (var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, memberKey))
        {
            await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<object>("DenyToolCall", session, "call_missing", "no"));
        }

        var log = await fixture.Http.GetStringAsync("/api/audit?limit=200");
        var entries = System.Text.Json.Nodes.JsonNode.Parse(log)!.AsArray().Select(e => e!).Where(e => e.Value<string>("keyId") == memberId).ToList();

        Assert.Equal(
        [
            "POST /api/tools", "PUT /api/tools/{id}", "DELETE /api/tools/{id}", "POST /api/mcp-servers",
            "POST /api/knowledge-bases", "POST /api/knowledge-bases/{id}/documents", "DELETE /api/knowledge-bases/{id}/documents/{documentId}", "DELETE /api/knowledge-bases/{id}",
            "POST /api/workflows", "POST /api/workflows/{id}/runs", "POST /api/workflow-runs/{id}/approvals/{stepId}", "DELETE /api/workflows/{id}",
            "POST /api/agents", "POST /api/sessions/{id}/approvals/{callId}", "HUB DenyToolCall",
        ], entries.Select(e => e.Value<string>("action")).Reverse());
        Assert.Contains(entries, e => e.Value<string>("action") == "DELETE /api/tools/{id}" && e.Value<string>("target") == $"id={tool}" && e.Value<int>("status") == 204);
        Assert.Contains(entries, e => e.Value<string>("action") == "POST /api/mcp-servers" && e.Value<int>("status") == (int)attach.StatusCode);
        Assert.Contains(entries, e => e.Value<string>("action") == "POST /api/sessions/{id}/approvals/{callId}" && e.Value<int>("status") == (int)approval.StatusCode);
        Assert.Contains(entries, e => e.Value<string>("action") == "HUB DenyToolCall" && e.Value<string>("target") == $"sessionId={session}&callId=call_missing" && e.Value<int>("status") >= 400);
        Assert.DoesNotContain("mcp-header-canary", log);
        Assert.DoesNotContain(memberKey, log);
    }
}
