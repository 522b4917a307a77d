using System.Net;
using System.Net.Http.Json;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Memory;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Tests.Identity;

/// <summary>
/// Users inside a tenant: each key has an owner (the person it was made for, or the key itself), and sessions, memories
/// and tool-call logs are their owner's. Another owner's are missing; admins and tenant-wide keys see every owner's.
/// </summary>
[Collection(FrontDoorCollection.Name)]
public sealed class OwnerTests(FrontDoorFixture fixture)
{
    private sealed record Team(string Tenant, HttpClient Alice, HttpClient AliceAgain, HttpClient Bob, HttpClient BobReader, HttpClient Auditor, HttpClient App, string BobKey) : IDisposable
    {
        public void Dispose()
        {
            foreach (var client in new[] { Alice, AliceAgain, Bob, BobReader, Auditor, App })
            {
                client.Dispose();
            }
        }
    }

    private async Task<Team> TeamAsync()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        var bob = await fixture.Http.CreateOwnedKeyAsync("member", tenant, "bob@example.com");
        return new Team(
            tenant,
            fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("member", tenant, "alice@example.com")),
            fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("reader", tenant, "alice@example.com")),
            fixture.Grid.Client(bob),
            fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("reader", tenant, "bob@example.com")),
            fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("reader", tenant, "auditor", "tenant-wide")),
            fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant)),
            bob);
    }

    [Fact]
    public async Task Me_tells_a_key_its_owner_and_an_application_key_owns_itself()
    {
        using var team = await TeamAsync();

        var alice = await team.Alice.GetFromJsonNodeAsync("/api/me");
        var app = await team.App.GetFromJsonNodeAsync("/api/me");
        var auditor = await team.Auditor.GetFromJsonNodeAsync("/api/me");

        Assert.Equal("alice@example.com", alice.Value<string>("owner"));
        Assert.False(alice.Value<bool>("tenantWide"));
        Assert.Equal(app.Value<string>("id"), app.Value<string>("owner"));
        Assert.True(auditor.Value<bool>("tenantWide"));
    }

    [Fact]
    public async Task Another_owners_session_is_missing_everywhere_while_the_same_owners_other_key_and_tenant_wide_keys_see_it()
    {
        using var team = await TeamAsync();
        var agentName = Api.UniqueName("owned");
        var agentId = await team.Alice.CreateAgentAsync(new { name = agentName });
        var sessionId = await team.Alice.OpenSessionAsync(agentId);
        (await team.Alice.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" })).EnsureSuccessStatusCode();

        var session = await team.Alice.GetFromJsonNodeAsync($"/api/sessions/{sessionId}");
        Assert.Equal("alice@example.com", session.Value<string>("owner"));
        Assert.Equal("alice@example.com", session.Value<string>("user"));

        foreach (var bob in new[] { team.Bob, team.BobReader, team.App })
        {
            foreach (var path in new[] { "", "/messages", "/tool-calls", "/events" })
            {
                using var refused = await bob.GetAsync($"/api/sessions/{sessionId}{path}", HttpCompletionOption.ResponseHeadersRead);
                await refused.ProblemAsync(404, "session_not_found");
            }
        }

        await (await team.Bob.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "planted" })).ProblemAsync(404, "session_not_found");
        await (await team.Bob.PostJsonAsync($"/api/sessions/{sessionId}/approvals/call_x", new { approved = true })).ProblemAsync(404, "session_not_found");
        await (await team.Bob.DeleteAsync($"/api/sessions/{sessionId}")).ProblemAsync(404, "session_not_found");
        await (await team.Bob.PostChatAsync(new { model = agentName, messages = new[] { new { role = "user", content = "planted" } } }, sessionId))
            .JsonAsync(HttpStatusCode.NotFound);
        (await team.Alice.PostChatAsync(new { model = agentName, messages = new[] { new { role = "user", content = "again" } } }, sessionId)).EnsureSuccessStatusCode();

        await using (var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, team.BobKey))
        {
            var missing = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("SendMessage", sessionId, "planted"));
            Assert.Contains("session_not_found", missing.Message);
        }

        // The same person's other key, and a tenant-wide key, read it whole: nothing was planted or deleted.
        foreach (var viewer in new[] { team.AliceAgain, team.Auditor })
        {
            var messages = await viewer.GetFromJsonNodeAsync($"/api/sessions/{sessionId}/messages");
            Assert.Equal(4, messages.AsArray().Count);
            Assert.DoesNotContain("planted", messages.ToJsonString());
        }

        // A tenant-wide key acts on it too.
        (await team.Auditor.GetAsync($"/api/sessions/{sessionId}/tool-calls")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Memories_are_kept_per_owner_so_naming_a_colleagues_user_reaches_only_ones_own_space()
    {
        using var team = await TeamAsync();
        var agentId = await team.Alice.CreateAgentAsync(new { name = Api.UniqueName("remembers") });
        var own = await (await team.Alice.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "Alice prefers tea." })).JsonAsync(HttpStatusCode.Created);
        var customer = await (await team.Alice.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "Customer 42 is in Oslo.", user = "customer-42" }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("alice@example.com", own.Value<string>("user"));

        // Bob naming Alice's end users, or Alice herself, gets his own (empty) memories of them.
        foreach (var user in new[] { "", "?user=customer-42", "?user=alice@example.com" })
        {
            var seen = await team.Bob.GetFromJsonNodeAsync($"/api/agents/{agentId}/memories{user}");
            Assert.Empty(seen["memories"]!.AsArray());
        }

        await (await team.Bob.PostJsonAsync($"/api/agents/{agentId}/memories?user=customer-42", new { text = "Customer 42 moved to Rome." }))
            .JsonAsync(HttpStatusCode.Created);
        await (await team.Bob.DeleteAsync($"/api/agents/{agentId}/memories/{own.Value<string>("id")}")).ProblemAsync(404, "memory_not_found");
        await (await team.Bob.DeleteAsync($"/api/agents/{agentId}/memories/{customer.Value<string>("id")}?user=customer-42")).ProblemAsync(404, "memory_not_found");
        await (await team.Bob.GetAsync($"/api/agents/{agentId}/memories?owner=alice@example.com")).ProblemAsync(403, "forbidden", "owner");

        // Alice's memories are as she left them: Bob's fact about customer 42 is in his space, not hers.
        var hers = await team.AliceAgain.GetFromJsonNodeAsync($"/api/agents/{agentId}/memories?user=customer-42");
        Assert.Equal(["Customer 42 is in Oslo."], hers["memories"]!.AsArray().Select(m => m.Value<string>("text")));
        Assert.Single((await team.AliceAgain.GetFromJsonNodeAsync($"/api/agents/{agentId}/memories"))["memories"]!.AsArray());

        // A tenant-wide key reads any owner's by naming it.
        var audited = await team.Auditor.GetFromJsonNodeAsync($"/api/agents/{agentId}/memories?owner=alice@example.com&user=customer-42");
        Assert.Equal(customer.Value<string>("id"), audited["memories"]!.AsArray().Single().Value<string>("id"));
    }

    [Fact]
    public async Task A_tools_execution_log_shows_each_owner_only_their_runs_and_tenant_wide_keys_all()
    {
        using var team = await TeamAsync();
        var tool = await team.Alice.CreateToolAsync(new { name = Api.UniqueName("owned"), kind = "files" });
        var mine = await team.Alice.InvokeAsync(tool, new { operation = "list_directory", path = "" });
        var his = await team.Bob.InvokeAsync(tool, new { operation = "list_directory", path = "" });

        string[] Ids(System.Text.Json.Nodes.JsonNode list) => [.. list["executions"]!.AsArray().Select(e => e.Value<string>("id"))];

        Assert.Equal([his.Value<string>("id")], Ids(await team.BobReader.GetFromJsonNodeAsync($"/api/tools/{tool}/executions")));
        Assert.Equal([mine.Value<string>("id")], Ids(await team.AliceAgain.GetFromJsonNodeAsync($"/api/tools/{tool}/executions")));
        Assert.Equal(new[] { his.Value<string>("id"), mine.Value<string>("id") }.Order(), Ids(await team.Auditor.GetFromJsonNodeAsync($"/api/tools/{tool}/executions")).Order());
    }

    [Fact]
    public async Task Owners_are_validated_and_cannot_pose_as_an_application_key()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "member", tenant, owner = "key_0123456789abcdef" })).ProblemAsync(400, "validation_failed", "owner");
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "member", tenant, owner = "bob smith" })).ProblemAsync(400, "validation_failed", "owner");
        using var refused = await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "member", tenant, permissions = new[] { "everything" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "member", tenant, permissions = new[] { 7 } })).ProblemAsync(400, "validation_failed", "permissions");

        var created = await (await fixture.Http.PostJsonAsync("/api/keys", new { name = "x", role = "member", tenant, owner = "bob", permissions = new[] { "tenant-wide", "tenant-wide" } }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("bob", created.Value<string>("owner"));
        Assert.Equal(["tenant-wide"], created["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public void Sessions_from_before_owners_belong_to_the_key_that_opened_them_where_their_user_records_it()
    {
        Assert.Equal("key_0123456789abcdef", Owners.OfLegacySession("key_0123456789abcdef"));
        Assert.Null(Owners.OfLegacySession("alice"));
        Assert.Null(Owners.OfLegacySession(null));

        // An application key's own memories stay where they were before owners, and so do those of sessions from before owners;
        // a person's own memories never meet what keys filed under a user of that name before owners.
        Assert.Equal("t/agt_1/key_0123456789abcdef", MemoryKeys.For("t", "agt_1", "key_0123456789abcdef", "key_0123456789abcdef"));
        Assert.Equal("t/agt_1/alice", MemoryKeys.For("t", "agt_1", null, "alice"));
        Assert.Equal("t/agt_1/alice/alice", MemoryKeys.For("t", "agt_1", "alice", "alice"));
        Assert.Equal("t/agt_1/bob/alice", MemoryKeys.For("t", "agt_1", "bob", "alice"));
        Assert.Equal("t/agt_1/key_0123456789abcdef/alice", MemoryKeys.For("t", "agt_1", "key_0123456789abcdef", "alice"));
        Assert.Equal(("t", "agt_1", "bob", "alice"), MemoryKeys.Parse("t/agt_1/bob/alice"));
        Assert.Equal(("t", "agt_1", (string?)null, "alice"), MemoryKeys.Parse("t/agt_1/alice"));
    }
}
