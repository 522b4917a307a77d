using System.Net;
using AgentGrid.Grains.Memory;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Memory;

/// <summary>Long-term memory over HTTP: save, list, search and forget facts per agent and end user, inside the tenant.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class MemoryApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Facts_are_saved_per_user_searched_by_meaning_and_forgotten_for_good()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName() });
        var path = $"/api/agents/{agentId}/memories";
        var teal = await (await Http.PostJsonAsync(path, new { text = "Prefers the colour teal for every design.", user = "alice" })).JsonAsync(HttpStatusCode.Created);
        await (await Http.PostJsonAsync(path, new { text = "Has two cats named Miso and Tofu.", user = "alice" })).JsonAsync(HttpStatusCode.Created);
        await (await Http.PostJsonAsync(path, new { text = "Works night shifts at a hospital.", user = "bob" })).JsonAsync(HttpStatusCode.Created);

        var alice = (await Http.GetFromJsonNodeAsync($"{path}?user=alice"))["memories"]!.AsArray();
        var search = (await Http.GetFromJsonNodeAsync($"{path}?user=alice&q={Uri.EscapeDataString("what pets does she have")}"))["memories"]!.AsArray();
        var mine = (await Http.GetFromJsonNodeAsync(path))["memories"]!.AsArray();

        Assert.Equal(2, alice.Count);
        Assert.All(alice, m => Assert.Equal(("alice", "api"), (m.Value<string>("user"), m.Value<string>("source"))));
        Assert.Equal("Has two cats named Miso and Tofu.", search[0].Value<string>("text"));
        Assert.True(search[0].Value<double>("score") > 0);
        Assert.Empty(mine);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"{path}/{teal.Value<string>("id")}?user=alice")).StatusCode);

        Assert.DoesNotContain((await Http.GetFromJsonNodeAsync($"{path}?user=alice&q=colour"))["memories"]!.AsArray(), m => m.Value<string>("id") == teal.Value<string>("id"));
        Assert.Single((await Http.GetFromJsonNodeAsync($"{path}?user=alice"))["memories"]!.AsArray());
        await (await Http.DeleteAsync($"{path}/{teal.Value<string>("id")}?user=alice")).ProblemAsync(404, "memory_not_found");
    }

    [Fact]
    public async Task Another_tenants_agent_memories_look_like_a_missing_agent_and_bad_input_gets_codes()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName() });
        await (await Http.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "Secret fact." })).JsonAsync(HttpStatusCode.Created);
        using var other = fixture.Grid.Client(await Http.CreateKeyAsync("member", await Http.CreateTenantAsync()));

        await (await other.GetAsync($"/api/agents/{agentId}/memories")).ProblemAsync(404, "agent_not_found");
        await (await other.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "x" })).ProblemAsync(404, "agent_not_found");
        await (await Http.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "" })).ProblemAsync(400, "validation_failed", "text");
        await (await Http.PostJsonAsync($"/api/agents/{agentId}/memories", new { text = "x", user = "a/b" })).ProblemAsync(400, "validation_failed", "user");
        await (await Http.PostJsonAsync($"/api/agents/{agentId}", new { })).ProblemAsync(405, "method_not_allowed");
    }

    [Fact]
    public void Extracted_facts_are_the_dash_lines_of_the_models_answer_at_most_three()
    {
        Assert.Equal(["Lives in Lyon", "Is vegetarian", "Has a son"],
            MemoryExtraction.Parse("Here you go:\n- Lives in Lyon\n-  Is vegetarian \n* not this\n- Has a son\n- Too many\n"));
        Assert.Empty(MemoryExtraction.Parse("NONE"));
    }
}
