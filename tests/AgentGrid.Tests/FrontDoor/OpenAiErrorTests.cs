using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>What each bad <c>/v1/chat/completions</c> request gets: an OpenAI-shaped error with a stable code.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class OpenAiErrorTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    public static TheoryData<string, int, string, string?> BadRequests => new()
    {
        { """{"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "model" },
        { """{"model":"simulator"}""", 400, "validation_failed", "messages" },
        { """{"model":"simulator","messages":[]}""", 400, "validation_failed", "messages" },
        { """{"model":"simulator","messages":[{"role":"wizard","content":"hi"}]}""", 400, "validation_failed", "messages[0].role" },
        { """{"model":"simulator","messages":[{"role":"user","content":{"x":1}}]}""", 400, "validation_failed", "messages[0].content" },
        { """{"model":"simulator","temperature":3,"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "temperature" },
        { """{"model":"simulator","top_p":0,"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "top_p" },
        { """{"model":"simulator","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "max_tokens" },
        { """{"model":"simulator","messages":"hi"}""", 400, "validation_failed", "messages" },
        { """{"model":""", 400, "validation_failed", "body" },
        { """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", "model" },
        { """{"model":"simulator","tools":[{"type":"function","function":{"name":"no spaces"}}],"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "tools[0].function.name" },
        { """{"model":"simulator","tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}},"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "tool_choice" },
        { """{"model":"simulator","tool_choice":"required","messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "tool_choice" },
        { """{"model":"simulator","functions":[{"name":"f"}],"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "functions" },
        { """{"model":"simulator","n":2,"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "n" },
        { """{"model":"simulator","n":"two","messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "n" },
        { """{"model":"simulator","response_format":"json","messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "response_format" },
        { """{"model":"simulator","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"hi"}]}""", 400, "validation_failed", "response_format" },
        { """{"model":"simulator","messages":[{"role":"tool","content":"42"}]}""", 400, "validation_failed", "messages[0].tool_call_id" },
        { """{"model":"simulator","messages":[{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f"}}]}]}""", 400, "validation_failed", "messages[0].tool_calls[0]" },
        { """{"model":"offline","messages":[{"role":"user","content":"hi"}]}""", 503, "model_unavailable", null },
        { """{"model":"offline","stream":true,"messages":[{"role":"user","content":"hi"}]}""", 503, "model_unavailable", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_openai_shaped_errors_with_stable_codes(string body, int status, string code, string? param)
    {
        var response = await Http.PostRawAsync("/v1/chat/completions", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Equal(status >= 500 ? "server_error" : "invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Session_mode_answers_tell_openai_sdks_not_to_retry()
    {
        var name = Api.UniqueName("noretry");
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name, model = "offline" }));

        using var response = await PostAsync(new { model = name, messages = new[] { new { role = "user", content = "hi" } } }, sessionId);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
    }

    [Fact]
    public async Task Session_header_errors_name_the_problem()
    {
        var name = Api.UniqueName("hdr");
        var agentId = await Http.CreateAgentAsync(new { name });
        var sessionId = await Http.OpenSessionAsync(agentId);
        var otherName = Api.UniqueName("other");
        await Http.CreateAgentAsync(new { name = otherName });

        async Task<(int, string)> ErrorOf(object body, string session)
        {
            using var response = await PostAsync(body, session);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }

        var user = new[] { new { role = "user", content = "hi" } };
        Assert.Equal((404, "session_not_found"), await ErrorOf(new { model = name, messages = user }, "ses_missing"));
        Assert.Equal((400, "validation_failed"), await ErrorOf(new { model = otherName, messages = user }, sessionId));
        Assert.Equal((400, "validation_failed"), await ErrorOf(new { model = name, messages = new[] { new { role = "assistant", content = "hi" } } }, sessionId));
        Assert.Empty(await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync());
    }

    [Fact]
    public async Task A_streamed_session_turn_rejected_before_it_starts_fails_instead_of_hanging()
    {
        var name = Api.UniqueName("blank");
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name }));

        // Whitespace passes the OpenAI-level checks; the session refuses it before publishing any event.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = name, stream = true, messages = new[] { new { role = "user", content = "   " } } }),
        };
        request.Headers.Add("X-Session-Id", sessionId);
        using var response = await Http.SendAsync(request, cancel.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancel.Token))!["error"]!;
        Assert.Equal(("validation_failed", "content"), (error["code"]!.GetValue<string>(), error["param"]!.GetValue<string>()));
    }

    private Task<HttpResponseMessage> PostAsync(object body, string? sessionId = null) => Http.PostChatAsync(body, sessionId);
}
