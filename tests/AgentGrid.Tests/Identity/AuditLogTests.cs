using System.Net;
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
