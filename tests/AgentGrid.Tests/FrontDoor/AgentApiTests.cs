using System.Net;
using System.Net.Http.Json;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class AgentApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Creating_an_agent_returns_201_with_its_id_location_and_defaults()
    {
        var name = Api.UniqueName();
        var response = await Http.PostJsonAsync("/api/agents", new { name, description = "helps", systemPrompt = "Hi {{user}}" });

        var agent = await response.JsonAsync(HttpStatusCode.Created);
        var id = agent.Value<string>("id");
        Assert.StartsWith("agt_", id);
        Assert.Equal($"/api/agents/{id}", response.Headers.Location?.ToString());
        Assert.Equal(name, agent.Value<string>("name"));
        Assert.Equal("simulator", agent.Value<string>("model"));
        Assert.Equal(1, agent.Value<int>("version"));
        Assert.Equal(["user"], agent.Value<string[]>("variables"));
        Assert.Equal(id, (await (await Http.GetAsync($"/api/agents/{id}")).JsonAsync(HttpStatusCode.OK)).Value<string>("id"));
    }

    [Fact]
    public async Task Update_versions_and_rollback_work_over_http()
    {
        var name = Api.UniqueName();
        var id = await Http.CreateAgentAsync(new { name, systemPrompt = "first", parameters = new { temperature = 0.1 } });

        var updated = await (await Http.PutAsJsonAsync($"/api/agents/{id}", new { name, systemPrompt = "second", parameters = new { temperature = 0.9, topP = 0.5, maxTokens = 100 } }))
            .JsonAsync(HttpStatusCode.OK);
        var versions = await (await Http.GetAsync($"/api/agents/{id}/versions")).JsonArrayAsync();
        var rolledBack = await (await Http.PostAsync($"/api/agents/{id}/rollback/1", null)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, updated.Value<int>("version"));
        Assert.Equal(100, updated.Value<int>("parameters.maxTokens"));
        Assert.Equal([1, 2], versions.Select(v => v.Value<int>("version")));
        Assert.Equal("second", versions[1].Value<string>("definition.systemPrompt"));
        Assert.Equal(3, rolledBack.Value<int>("version"));
        Assert.Equal("first", rolledBack.Value<string>("systemPrompt"));
        Assert.Equal(0.1, rolledBack.Value<double>("parameters.temperature"));
    }

    [Fact]
    public async Task The_list_holds_created_agents_and_not_deleted_ones()
    {
        var keep = await Http.CreateAgentAsync(new { name = Api.UniqueName() });
        var drop = await Http.CreateAgentAsync(new { name = Api.UniqueName() });

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/agents/{drop}")).StatusCode);

        var ids = (await (await Http.GetAsync("/api/agents")).JsonArrayAsync()).Select(a => a.Value<string>("id")).ToList();
        Assert.Contains(keep, ids);
        Assert.DoesNotContain(drop, ids);
        await (await Http.GetAsync($"/api/agents/{drop}")).ProblemAsync(404, "agent_not_found");
    }

    [Fact]
    public async Task A_duplicate_name_gets_409_agent_name_conflict()
    {
        var name = Api.UniqueName();
        await Http.CreateAgentAsync(new { name });

        await (await Http.PostJsonAsync("/api/agents", new { name })).ProblemAsync(409, "agent_name_conflict", "name");
    }

    public static TheoryData<string, string> InvalidAgentBodies => new()
    {
        { """{}""", "name" },
        { """{"name":""}""", "name" },
        { """{"name":"   "}""", "name" },
        { """{"name":5}""", "name" },
        { """{"name":["a"]}""", "name" },
        { $$"""{"name":"{{new string('n', 101)}}"}""", "name" },
        { $$"""{"name":"x","description":"{{new string('d', 2001)}}"}""", "description" },
        { $$"""{"name":"x","systemPrompt":"{{new string('p', 32001)}}"}""", "systemPrompt" },
        { """{"name":"x","systemPrompt":42}""", "systemPrompt" },
        { """{"name":"x","model":"no-such-model"}""", "model" },
        { """{"name":"x","parameters":{"temperature":2.5}}""", "parameters.temperature" },
        { """{"name":"x","parameters":{"temperature":-1}}""", "parameters.temperature" },
        { """{"name":"x","parameters":{"temperature":"hot"}}""", "parameters.temperature" },
        { """{"name":"x","parameters":{"topP":0}}""", "parameters.topP" },
        { """{"name":"x","parameters":{"topP":1.5}}""", "parameters.topP" },
        { """{"name":"x","parameters":{"maxTokens":0}}""", "parameters.maxTokens" },
        { """{"name":"x","parameters":{"maxTokens":1.5}}""", "parameters.maxTokens" },
        { """{"name":"x","parameters":{"maxTokens":1000001}}""", "parameters.maxTokens" },
        { """{"name":"x","parameters":"fast"}""", "parameters" },
        { """{"name":"x",""", "body" },
        { """not json""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidAgentBodies))]
    public async Task Invalid_agent_bodies_get_400_validation_failed_naming_the_field(string body, string field)
    {
        await (await Http.PostRawAsync("/api/agents", body)).ProblemAsync(400, "validation_failed", field);
    }

    [Fact]
    public async Task An_invalid_update_gets_400_and_leaves_the_agent_unchanged()
    {
        var id = await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "stay" });

        await (await Http.PutAsJsonAsync($"/api/agents/{id}", new { name = "x", parameters = new { temperature = 9 } }))
            .ProblemAsync(400, "validation_failed", "parameters.temperature");

        var agent = await (await Http.GetAsync($"/api/agents/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, agent.Value<int>("version"));
        Assert.Equal("stay", agent.Value<string>("systemPrompt"));
    }

    [Theory]
    [InlineData("GET", "/api/agents/agt_missing")]
    [InlineData("PUT", "/api/agents/agt_missing")]
    [InlineData("DELETE", "/api/agents/agt_missing")]
    [InlineData("GET", "/api/agents/agt_missing/versions")]
    [InlineData("POST", "/api/agents/agt_missing/rollback/1")]
    [InlineData("GET", "/api/agents/bad%2Fid")]
    public async Task Unknown_agent_ids_get_404_agent_not_found(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { name = "x" });
        }

        await (await Http.SendAsync(request)).ProblemAsync(404, "agent_not_found");
    }

    [Fact]
    public async Task Rollback_to_a_version_that_does_not_exist_gets_404_agent_version_not_found()
    {
        var id = await Http.CreateAgentAsync(new { name = Api.UniqueName() });

        await (await Http.PostAsync($"/api/agents/{id}/rollback/5", null)).ProblemAsync(404, "agent_version_not_found");
    }

    [Fact]
    public async Task Renaming_or_rolling_back_onto_a_name_another_agent_holds_gets_409()
    {
        var taken = Api.UniqueName();
        await Http.CreateAgentAsync(new { name = taken });
        var mine = Api.UniqueName();
        var id = await Http.CreateAgentAsync(new { name = mine });

        await (await Http.PutAsJsonAsync($"/api/agents/{id}", new { name = taken.ToUpperInvariant() })).ProblemAsync(409, "agent_name_conflict", "name");

        // Rename this agent away, let another agent take its old name, then roll back to version 1.
        await (await Http.PutAsJsonAsync($"/api/agents/{id}", new { name = Api.UniqueName() })).JsonAsync(HttpStatusCode.OK);
        await Http.CreateAgentAsync(new { name = mine });
        await (await Http.PostAsync($"/api/agents/{id}/rollback/1", null)).ProblemAsync(409, "agent_name_conflict", "name");
    }

    [Fact]
    public async Task A_wrong_method_gets_405_method_not_allowed()
    {
        await (await Http.PatchAsync("/api/agents", null)).ProblemAsync(405, "method_not_allowed");
    }

    [Fact]
    public async Task A_body_over_the_size_limit_gets_413_payload_too_large()
    {
        var body = $$"""{"name":"{{new string('a', 1024 * 1024 + 1024)}}"}""";
        // Expect: 100-continue lets the server refuse before the body is sent; otherwise it could close the connection
        // while the client is still writing, and the client would see a broken pipe instead of the answer.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/agents") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        await (await Http.SendAsync(request)).ProblemAsync(413, "payload_too_large");
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415_unsupported_media_type()
    {
        await (await Http.PostRawAsync("/api/agents", "name=x", "text/plain")).ProblemAsync(415, "unsupported_media_type");
    }

    [Fact]
    public async Task An_unknown_route_gets_404_not_found_as_problem_details()
    {
        await (await Http.GetAsync("/api/nothing-here")).ProblemAsync(404, "not_found");
    }
}
