using System.Net;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class SessionApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_chat_turn_returns_the_stored_message_and_the_reply_from_the_model()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "You are {{persona}}." });
        var sessionId = await Http.OpenSessionAsync(agentId, new { persona = "a pirate" });

        var turn = await (await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "Ahoy?" })).JsonAsync(HttpStatusCode.OK);

        var message = turn["message"]!;
        Assert.StartsWith("msg_", message.Value<string>("id"));
        Assert.Equal("user", message.Value<string>("role"));
        Assert.Equal("Ahoy?", message.Value<string>("content"));
        var expected = ExpectedReply.For("You are a pirate.",
            [new SessionMessage { Id = "", Role = "user", Content = "Ahoy?" }], FrontDoorFixture.TokensPerReply);
        Assert.Equal("assistant", turn["reply"].Value<string>("role"));
        Assert.Equal(expected, turn["reply"].Value<string>("content"));
    }

    [Fact]
    public async Task Messages_are_listed_oldest_first_with_id_role_content_createdAt_and_index()
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName() }));
        await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "one" });
        await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "two" });

        var messages = await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync();
        var session = await (await Http.GetAsync($"/api/sessions/{sessionId}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => m.Value<string>("role")));
        Assert.Equal("two", messages[2].Value<string>("content"));
        Assert.All(messages, m => Assert.Equal(["id", "role", "content", "createdAt", "index"], m!.AsObject().Select(p => p.Key)));
        Assert.Equal([1L, 2, 3, 4], messages.Select(m => m.Value<long>("index")));
        Assert.Equal(4, session.Value<int>("messageCount"));
    }

    [Fact]
    public async Task History_is_read_in_pages_before_an_index_with_a_link_to_the_older_page()
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName() }));
        for (var i = 1; i <= 3; i++)
        {
            await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = $"m{i}" });
        }

        var latest = await Http.GetAsync($"/api/sessions/{sessionId}/messages?limit=4");
        var older = await (await Http.GetAsync(latest.Headers.GetValues("Link").Single().Split('<', '>')[1])).JsonArrayAsync();
        var oldest = await Http.GetAsync($"/api/sessions/{sessionId}/messages?before=3&limit=4");

        Assert.Equal([3L, 4, 5, 6], (await latest.JsonArrayAsync()).Select(m => m.Value<long>("index")));
        Assert.Equal([1L, 2], older.Select(m => m.Value<long>("index")));
        Assert.Equal("m1", older[0].Value<string>("content"));
        Assert.False(oldest.Headers.Contains("Link"));
        var problem = await (await Http.GetAsync($"/api/sessions/{sessionId}/messages?limit=501")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("validation_failed", "limit"), (problem.Value<string>("code"), problem.Value<string>("field")));
    }

    [Fact]
    public async Task A_deleted_session_gets_404_session_not_found()
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName() }));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/sessions/{sessionId}")).StatusCode);

        await (await Http.GetAsync($"/api/sessions/{sessionId}")).ProblemAsync(404, "session_not_found");
    }

    [Fact]
    public async Task When_the_backend_is_down_the_send_gets_503_model_unavailable_and_the_message_is_kept()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), model = "offline" });
        var sessionId = await Http.OpenSessionAsync(agentId);

        await (await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello?" })).ProblemAsync(503, "model_unavailable");

        var messages = await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync();
        Assert.Equal("hello?", Assert.Single(messages).Value<string>("content"));
    }

    public static TheoryData<string, int, string, string?> InvalidOpenBodies => new()
    {
        { """{}""", 400, "validation_failed", "agentId" },
        { """{"agentId":""}""", 400, "validation_failed", "agentId" },
        { """{"agentId":7}""", 400, "validation_failed", "agentId" },
        { """{"agentId":"agt_x","variables":["a"]}""", 400, "validation_failed", "variables" },
        { """{"agentId":"agt_x","variables":{"a":1}}""", 400, "validation_failed", "variables.a" },
        { """{"agentId":"agt_does_not_exist"}""", 404, "agent_not_found", null },
        { """{"agentId":"../etc"}""", 404, "agent_not_found", null },
        { """{"agentId":""", 400, "validation_failed", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidOpenBodies))]
    public async Task Invalid_session_openings_get_their_status_and_code(string body, int status, string code, string? field)
    {
        await (await Http.PostRawAsync("/api/sessions", body)).ProblemAsync(status, code, field);
    }

    [Fact]
    public async Task Variables_over_the_limits_get_400_naming_the_variable()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName() });
        var tooMany = Enumerable.Range(0, 65).ToDictionary(i => $"v{i}", i => "x");
        var longName = new Dictionary<string, string> { [new string('v', 65)] = "x" };
        var badName = new Dictionary<string, string> { ["a}}{{b"] = "x" };
        var longValue = new Dictionary<string, string> { ["v"] = new string('x', 4001) };

        await (await Http.PostJsonAsync("/api/sessions", new { agentId, variables = tooMany })).ProblemAsync(400, "validation_failed", "variables");
        await (await Http.PostJsonAsync("/api/sessions", new { agentId, variables = longName })).ProblemAsync(400, "validation_failed");
        await (await Http.PostJsonAsync("/api/sessions", new { agentId, variables = badName })).ProblemAsync(400, "validation_failed", "variables.a}}{{b");
        await (await Http.PostJsonAsync("/api/sessions", new { agentId, variables = longValue })).ProblemAsync(400, "validation_failed", "variables.v");
    }

    [Fact]
    public async Task Sending_to_a_session_whose_agent_was_deleted_gets_404_agent_not_found_and_stores_nothing()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName() });
        var sessionId = await Http.OpenSessionAsync(agentId);
        await Http.DeleteAsync($"/api/agents/{agentId}");

        await (await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" })).ProblemAsync(404, "agent_not_found");

        Assert.Empty(await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync());
    }

    [Fact]
    public async Task Opening_without_a_value_for_a_prompt_variable_gets_400_naming_it()
    {
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "Dear {{customer}}" });

        await (await Http.PostJsonAsync("/api/sessions", new { agentId, variables = new { other = "x" } }))
            .ProblemAsync(400, "validation_failed", "variables.customer");
    }

    public static TheoryData<string, string> InvalidMessageBodies => new()
    {
        { """{}""", "content" },
        { """{"content":""}""", "content" },
        { """{"content":"   "}""", "content" },
        { """{"content":42}""", "content" },
        { """{"content":{"text":"hi"}}""", "content" },
        { $$"""{"content":"{{new string('m', 32001)}}"}""", "content" },
        { """{"content":"unterminated""", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessageBodies))]
    public async Task Invalid_messages_get_400_validation_failed_and_nothing_is_stored(string body, string field)
    {
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName() }));

        await (await Http.PostRawAsync($"/api/sessions/{sessionId}/messages", body)).ProblemAsync(400, "validation_failed", field);

        Assert.Empty(await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync());
    }

    [Theory]
    [InlineData("GET", "/api/sessions/ses_missing")]
    [InlineData("DELETE", "/api/sessions/ses_missing")]
    [InlineData("GET", "/api/sessions/ses_missing/messages")]
    [InlineData("POST", "/api/sessions/ses_missing/messages")]
    public async Task Unknown_session_ids_get_404_session_not_found(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { content = "hi" });
        }

        await (await Http.SendAsync(request)).ProblemAsync(404, "session_not_found");
    }
}
