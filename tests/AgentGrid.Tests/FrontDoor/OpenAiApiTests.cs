using System.Diagnostics;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class OpenAiApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private ChatClient OfficialClient(string model, string? sessionId = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(fixture.Grid.Address, "/v1") };
        if (sessionId is not null)
        {
            options.AddPolicy(new SessionHeaderPolicy(sessionId), PipelinePosition.PerCall);
        }

        return new ChatClient(model, new ApiKeyCredential(fixture.Grid.AdminKey), options);
    }

    private static string Expected(string model, int tokens, params (string Role, string Content)[] prompt) =>
        SimulatedReply.Text(model, prompt, tokens);

    /// <summary>Reads an SSE response's data payloads up to and including [DONE].</summary>
    private static async Task<List<string>> DataLinesAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                lines.Add(line[6..]);
                if (line == "data: [DONE]")
                {
                    break;
                }
            }
        }

        return lines;
    }

    private Task<HttpResponseMessage> PostAsync(object body, string? sessionId = null) => Http.PostChatAsync(body, sessionId);

    [Fact]
    public async Task The_official_openai_client_streams_an_agents_reply_with_only_the_base_url_changed()
    {
        var name = Api.UniqueName("sdk");
        await Http.CreateAgentAsync(new { name, systemPrompt = "You are the SDK test agent." });

        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in OfficialClient(name).CompleteChatStreamingAsync([new UserChatMessage("Hello from the SDK")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                updates++;
            }
        }

        var expected = Expected(SimulatorOptions.DefaultModelId, FrontDoorFixture.TokensPerReply,
            ("system", "You are the SDK test agent."), ("user", "Hello from the SDK"));
        Assert.Equal(expected, text.ToString());
        Assert.True(updates >= FrontDoorFixture.TokensPerReply, "the reply arrives token by token");
    }

    [Fact]
    public async Task The_official_openai_client_gets_a_whole_completion_with_usage()
    {
        var name = Api.UniqueName("sdk");
        await Http.CreateAgentAsync(new { name });

        ChatCompletion completion = await OfficialClient(name).CompleteChatAsync([new UserChatMessage("Just answer")]);

        Assert.Equal(Expected(SimulatorOptions.DefaultModelId, FrontDoorFixture.TokensPerReply, ("user", "Just answer")), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(FrontDoorFixture.TokensPerReply, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task A_changed_agent_is_answered_with_its_new_prompt_within_the_front_doors_staleness_bound()
    {
        var name = Api.UniqueName("changing");
        var id = await Http.CreateAgentAsync(new { name, systemPrompt = "Be brief." });
        ChatCompletion before = await OfficialClient(name).CompleteChatAsync([new UserChatMessage("Hello")]);

        (await Http.PutAsync($"/api/agents/{id}", System.Net.Http.Json.JsonContent.Create(new { name, systemPrompt = "Be thorough." }))).EnsureSuccessStatusCode();
        var expected = Expected(SimulatorOptions.DefaultModelId, FrontDoorFixture.TokensPerReply, ("system", "Be thorough."), ("user", "Hello"));
        var seen = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => ((ChatCompletion)await OfficialClient(name).CompleteChatAsync([new UserChatMessage("Hello")])).Content[0].Text == expected,
            TimeSpan.FromSeconds(10), "the new prompt to reach /v1");

        Assert.Equal(Expected(SimulatorOptions.DefaultModelId, FrontDoorFixture.TokensPerReply, ("system", "Be brief."), ("user", "Hello")), before.Content[0].Text);
        Assert.True(seen.Elapsed < AgentGrid.FrontDoor.Agents.AgentDirectory.Staleness + TimeSpan.FromSeconds(3), $"took {seen.Elapsed}");
    }

    [Fact]
    public async Task The_official_openai_client_runs_a_tool_loop_through_the_passthrough()
    {
        var weather = ChatTool.CreateFunctionTool("get_weather", "The weather in a city.",
            BinaryData.FromString("""{"type":"object","required":["city"],"properties":{"city":{"type":"string"}}}"""));
        var options = new ChatCompletionOptions { Tools = { weather } };
        List<ChatMessage> messages = [new UserChatMessage("""What is it like outside? get_weather {"city":"Oslo"}""")];

        ChatCompletion called = await OfficialClient("simulator").CompleteChatAsync(messages, options);
        messages.Add(new AssistantChatMessage(called));
        messages.Add(new ToolChatMessage(called.ToolCalls[0].Id, """{"temperature_c":12}"""));
        ChatCompletion answered = await OfficialClient("simulator").CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, called.FinishReason);
        Assert.Equal("get_weather", called.ToolCalls[0].FunctionName);
        Assert.Equal("Oslo", JsonNode.Parse(called.ToolCalls[0].FunctionArguments.ToString())!.Value<string>("city"));
        Assert.Equal(ChatFinishReason.Stop, answered.FinishReason);
        Assert.Contains("temperature_c", answered.Content[0].Text);
    }

    [Fact]
    public async Task A_forced_tool_choice_streams_a_call_whose_arguments_match_the_schema()
    {
        var lookup = ChatTool.CreateFunctionTool("lookup", "Looks a word up.",
            BinaryData.FromString("""{"type":"object","required":["word","limit"],"properties":{"word":{"type":"string"},"limit":{"type":"integer","minimum":3}}}"""));
        var options = new ChatCompletionOptions { Tools = { lookup }, ToolChoice = ChatToolChoice.CreateFunctionChoice("lookup") };

        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in OfficialClient("simulator").CompleteChatStreamingAsync([new UserChatMessage("Anything")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        var parsed = JsonNode.Parse(arguments.ToString())!;
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(("example", 3), (parsed.Value<string>("word"), parsed.Value<int>("limit")));
    }

    [Fact]
    public async Task A_configured_model_can_be_called_directly_and_stream_options_include_usage_adds_a_usage_chunk()
    {
        using var response = await PostAsync(new
        {
            model = "simulator",
            stream = true,
            stream_options = new { include_usage = true },
            max_tokens = 5,
            messages = new[] { new { role = "user", content = "Five tokens please" } },
        });

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var lines = await DataLinesAsync(response);
        Assert.Equal("[DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.True(chunks[1]["choices"]![0]!.AsObject().ContainsKey("finish_reason"), "chunks carry finish_reason: null until the last");
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]?["content"]?.GetValue<string>()));
        Assert.Equal(Expected(SimulatorOptions.DefaultModelId, 5, ("user", "Five tokens please")), text);
        Assert.Equal("length", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(5, chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Many_concurrent_streams_each_get_their_whole_reply()
    {
        var requests = Enumerable.Range(0, 24).Select(async i =>
        {
            using var response = await PostAsync(new { model = "simulator", stream = true, messages = new[] { new { role = "user", content = $"concurrent {i}" } } });
            var lines = await DataLinesAsync(response);
            var text = string.Concat(lines[..^1].Select(l => JsonNode.Parse(l)!["choices"]!.AsArray()).SelectMany(c => c)
                .Select(c => c!["delta"]?["content"]?.GetValue<string>()));
            return (i, text);
        });

        foreach (var (i, text) in await Task.WhenAll(requests))
        {
            Assert.Equal(Expected(SimulatorOptions.DefaultModelId, FrontDoorFixture.TokensPerReply, ("user", $"concurrent {i}")), text);
        }
    }

    [Fact]
    public async Task With_a_session_header_the_message_is_appended_to_the_sessions_history()
    {
        var name = Api.UniqueName("sess");
        var agentId = await Http.CreateAgentAsync(new { name, systemPrompt = "Remember {{who}}." });
        var sessionId = await Http.OpenSessionAsync(agentId, new { who = "Grace" });
        await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "first, over REST" });

        var text = new StringBuilder();
        await foreach (var update in OfficialClient(name, sessionId).CompleteChatStreamingAsync([new UserChatMessage("second, over the SDK")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        ChatCompletion third = await OfficialClient(agentId, sessionId).CompleteChatAsync([new UserChatMessage("third, not streamed")]);

        var history = await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync();
        var contents = history.Select(m => m.Value<string>("content")).ToList();
        Assert.Equal(6, contents.Count);
        Assert.Equal("second, over the SDK", contents[2]);
        Assert.Equal(text.ToString(), contents[3]);
        Assert.Equal(third.Content[0].Text, contents[5]);
        var prompt = new List<(string, string)> { ("system", "Remember Grace.") };
        prompt.AddRange(history.Take(3).Select(m => (m.Value<string>("role"), m.Value<string>("content"))));
        Assert.Equal(SimulatedReply.Text(SimulatorOptions.DefaultModelId, prompt, FrontDoorFixture.TokensPerReply), contents[3]);
    }

    [Fact]
    public async Task A_client_that_leaves_a_session_mode_stream_still_gets_its_reply_stored_in_the_session()
    {
        var name = Api.UniqueName("leave");
        var sessionId = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name, model = "trickle" }));
        var session = fixture.Grid.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>($"default/{sessionId}");

        await Http.LeaveAfterFirstTokenAsync(new { model = name, stream = true, messages = new[] { new { role = "user", content = "go on" } } }, sessionId);

        // A session turn outlives its request: the reply is generated to the end and kept (a stateless call is stopped instead).
        await Eventually.TrueAsync(async () => (await session.GetEventsAsync(0))[^1].EndsTurn, TimeSpan.FromSeconds(30), "the turn to end");
        Assert.Equal(SessionEventTypes.MessageCompleted, (await session.GetEventsAsync(0))[^1].Type);
        Assert.Equal(["user", "assistant"], (await session.GetMessagesAsync()).Select(m => m.Role));
    }

    [Fact]
    public async Task Models_lists_agents_and_configured_models()
    {
        var name = Api.UniqueName("listed");
        await Http.CreateAgentAsync(new { name });

        var list = await (await Http.GetAsync("/v1/models")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("list", list.Value<string>("object"));
        var ids = list["data"]!.AsArray().Select(m => m.Value<string>("id")).ToList();
        Assert.Contains(name, ids);
        Assert.Contains("simulator", ids);
        Assert.Contains("paced", ids);
    }

    [Fact]
    public async Task A_client_that_leaves_a_stream_stops_the_backend_request()
    {
        // Earlier tests' abandoned requests are all counted once the backend is idle.
        await Eventually.TrueAsync(() => fixture.Trickle.Engine.Running == 0, TimeSpan.FromSeconds(15), "the backend to be idle");
        var abandoned = fixture.Trickle.Engine.Abandoned;

        await Http.LeaveAfterFirstTokenAsync(new { model = "trickle", stream = true, messages = new[] { new { role = "user", content = "long" } } });

        await Eventually.TrueAsync(() => fixture.Trickle.Engine.Abandoned > abandoned, TimeSpan.FromSeconds(15), "the backend request to be abandoned mid-reply");
    }

    [Fact]
    public async Task Null_stream_null_assistant_content_and_n_1_are_accepted()
    {
        var response = await Http.PostRawAsync("/v1/chat/completions", """
            {"model":"simulator","stream":null,"n":1,"response_format":{"type":"text"},"tools":null,
             "messages":[{"role":"user","content":"a"},{"role":"assistant","content":null},{"role":"user","content":"b"}]}
            """);

        var completion = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("chat.completion", completion.Value<string>("object"));
        Assert.Equal("stop", completion["choices"]![0]!.Value<string>("finish_reason"));
    }

    [Fact]
    public async Task A_stateless_stream_abandoned_before_its_first_token_stops_the_backend_request()
    {
        var running = fixture.Slow.Engine.Running;
        using (var cancel = new CancellationTokenSource())
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { model = "slow", stream = true, messages = new[] { new { role = "user", content = "think hard" } } }),
            };
            var request = Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            await Eventually.TrueAsync(() => fixture.Slow.Engine.Running > running, TimeSpan.FromSeconds(10), "the backend request to start");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running == running, TimeSpan.FromSeconds(15), "the backend request to be aborted");
    }

    private sealed class SessionHeaderPolicy(string sessionId) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("X-Session-Id", sessionId);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("X-Session-Id", sessionId);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
