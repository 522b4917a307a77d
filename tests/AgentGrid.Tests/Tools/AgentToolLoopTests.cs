using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Tests.Tools;

/// <summary>
/// A session turn's tool loop against the simulator, which calls each tool its user message names (with the JSON written
/// after the name) and answers with the last result.
/// </summary>
[Collection(FrontDoorCollection.Name)]
public sealed class AgentToolLoopTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task An_agent_calls_tools_one_after_another_and_answers_with_the_result()
    {
        var files = Api.UniqueName("notes");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files" });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("doer"), tools = new[] { tool } }));

        var turn = await SendAsync(session,
            $$"""First {{files}} {"operation":"write_file","path":"{{files}}.txt","content":"tide at six"} then {{files}} {"operation":"read_file","path":"{{files}}.txt"}""");
        var history = await MessagesAsync(session);
        var events = await EventsAsync(session);

        Assert.Equal("completed", turn.Value<string>("status"));
        Assert.Contains("tide at six", turn["reply"]!.Value<string>("content"));
        Assert.Equal(["user", "assistant", "tool", "assistant", "tool", "assistant"], history.Select(m => m.Value<string>("role")));
        Assert.Equal(history[1]!["toolCalls"]![0].Value<string>("id"), history[2].Value<string>("toolCallId"));
        Assert.Equal(["success", "success"], history.Where(m => m.Value<string>("role") == "tool").Select(m => m.Value<string>("toolStatus")));
        Assert.Equal(["tool.called", "tool.completed", "tool.called", "tool.completed"],
            events.Select(e => e.Type).Where(t => t.StartsWith("tool.", StringComparison.Ordinal)));
        Assert.Contains("tide at six", events.Last(e => e.Type == "tool.completed").Output);
        var log = (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();
        Assert.Equal([session, session], log.Select(e => e.Value<string>("sessionId")));
        var calls = (await Http.GetFromJsonNodeAsync($"/api/sessions/{session}/tool-calls")).AsArray();
        Assert.Equal(["success", "success"], calls.Select(c => c.Value<string>("status")));
        Assert.Equal("read_file", JsonNode.Parse(calls[1]!["call"].Value<string>("arguments")!)!.Value<string>("operation"));
    }

    [Fact]
    public async Task A_failing_call_and_arguments_that_break_the_schema_are_told_to_the_model_and_the_turn_still_answers()
    {
        var files = Api.UniqueName("files");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files" });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("doer"), tools = new[] { tool } }));

        var turn = await SendAsync(session, $$"""Try {{files}} {"operation":"read_file","path":"missing.txt"} and {{files}} {"operation":"read_file","path":42}""");
        var failed = (await EventsAsync(session)).Where(e => e.Type == "tool.failed").ToList();

        Assert.Equal("completed", turn.Value<string>("status"));
        Assert.Equal(["tool_failed", "validation_failed"], failed.Select(e => e.Code));
        Assert.Contains("validation_failed", turn["reply"]!.Value<string>("content"));
    }

    [Fact]
    public async Task The_iteration_cap_ends_the_loop_and_the_model_must_answer_in_text()
    {
        var files = Api.UniqueName("ls");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files" });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("looper"), tools = new[] { tool } }));
        var ask = string.Join(" ", Enumerable.Repeat($$"""{{files}} {"operation":"list_directory","path":""}""", 12));

        var turn = await SendAsync(session, ask);
        var history = await MessagesAsync(session);

        Assert.Equal("completed", turn.Value<string>("status"));
        Assert.Equal(8, history.Count(m => m.Value<string>("role") == "tool"));
        Assert.Equal("assistant", history[^1].Value<string>("role"));
        Assert.Null(history[^1]!["toolCalls"]);
    }

    [Fact]
    public async Task A_tool_that_needs_approval_pauses_the_turn_until_a_member_approves_exactly_the_arguments_shown()
    {
        var files = Api.UniqueName("guarded");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files", requiresApproval = true });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("careful"), tools = new[] { tool } }));

        var paused = await SendAsync(session, $$"""Please {{files}} {"operation":"write_file","path":"{{files}}.txt","content":"approved text"}""");
        var call = paused["pendingApprovals"]![0]!;
        var callId = call.Value<string>("id");
        var waiting = await Http.GetFromJsonNodeAsync($"/api/sessions/{session}");
        var blocked = await Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "anything else?" });
        var mismatch = await Http.PostJsonAsync($"/api/sessions/{session}/approvals/{callId}",
            new { approved = true, arguments = new { operation = "write_file", path = $"{files}.txt", content = "other text" } });
        var logBefore = (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();

        var approved = await (await Http.PostJsonAsync($"/api/sessions/{session}/approvals/{callId}",
            new { approved = true, arguments = JsonNode.Parse(call.Value<string>("arguments")!) })).JsonAsync(HttpStatusCode.OK);
        var again = await Http.PostJsonAsync($"/api/sessions/{session}/approvals/{callId}", new { approved = true });

        Assert.Equal(("awaiting_approval", null), (paused.Value<string>("status"), paused["reply"]));
        Assert.Equal(files, call.Value<string>("name"));
        Assert.Equal(callId, waiting["pendingApprovals"]![0]!["call"].Value<string>("id"));
        await blocked.ProblemAsync(409, "approval_pending");
        await mismatch.ProblemAsync(409, "approval_mismatch", "arguments");
        Assert.Empty(logBefore);
        Assert.Equal("completed", approved.Value<string>("status"));
        Assert.Contains("success", (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]![0].Value<string>("status"));
        Assert.Empty((await Http.GetFromJsonNodeAsync($"/api/sessions/{session}"))["pendingApprovals"]!.AsArray());
        await again.ProblemAsync(404, "approval_not_found");
        var check = await Http.InvokeAsync(await Http.CreateToolAsync(new { name = Api.UniqueName("reader"), kind = "files" }),
            new { operation = "read_file", path = $"{files}.txt" });
        Assert.Equal("approved text", check["output"]!.Value<string>("content"));
    }

    [Fact]
    public async Task A_denied_call_never_runs_is_logged_as_denied_and_the_model_is_told_why()
    {
        var files = Api.UniqueName("guarded");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files", requiresApproval = true });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("careful"), tools = new[] { tool } }));

        var paused = await SendAsync(session, $$"""Please {{files}} {"operation":"delete_file","path":"keep.txt"}""");
        var callId = paused["pendingApprovals"]![0].Value<string>("id");
        var denied = await (await Http.PostJsonAsync($"/api/sessions/{session}/approvals/{callId}", new { approved = false, reason = "not today" })).JsonAsync(HttpStatusCode.OK);
        var log = (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();
        var events = await EventsAsync(session);

        Assert.Equal(["denied"], log.Select(e => e.Value<string>("status")));
        Assert.Contains("not today", denied["reply"]!.Value<string>("content"));
        Assert.Equal("denied", (await Http.GetFromJsonNodeAsync($"/api/sessions/{session}/tool-calls"))[0].Value<string>("status"));
        Assert.Equal(["message.accepted", "tool.approval_requested", "turn.paused", "tool.failed", "message.completed"],
            events.Select(e => e.Type).Where(t => t != "token"));
        Assert.Equal("tool_denied", events.Single(e => e.Type == "tool.failed").Code);
    }

    [Fact]
    public async Task A_member_approves_over_signalr_and_every_follower_sees_the_call_run_and_the_reply()
    {
        var files = Api.UniqueName("guarded");
        var tool = await Http.CreateToolAsync(new { name = files, kind = "files", requiresApproval = true });
        var session = await Http.OpenSessionAsync(await Http.CreateAgentAsync(new { name = Api.UniqueName("careful"), tools = new[] { tool } }));
        await using var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);

        var paused = await hub.InvokeAsync<AgentGrid.Contracts.Sessions.ChatTurn>("SendMessage", session,
            $$"""Please {{files}} {"operation":"write_file","path":"hub.txt","content":"via signalr"}""");
        var call = paused.PendingApprovals[0];
        var done = await hub.InvokeAsync<AgentGrid.Contracts.Sessions.ChatTurn>("ApproveToolCall", session, call.Id, call.Arguments);
        var events = await hub.ReadUntilAsync(session, 0, e => e.Type == "message.completed", TimeSpan.FromSeconds(30));

        Assert.Null(paused.Reply);
        Assert.NotNull(done.Reply);
        Assert.Equal(["message.accepted", "tool.approval_requested", "turn.paused", "tool.called", "tool.completed", "message.completed"],
            events.Select(e => e.Type).Where(t => t != "token"));
        Assert.Equal(call.Id, events.Single(e => e.Type == "tool.called").ToolCall!.Id);
    }

    private async Task<JsonObject> SendAsync(string session, string content) =>
        await (await Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content })).JsonAsync(HttpStatusCode.OK);

    /// <summary>The session's events over SignalR, through the end of its last turn.</summary>
    private async Task<List<AgentGrid.Contracts.Sessions.SessionEvent>> EventsAsync(string session)
    {
        var last = (await Http.GetFromJsonNodeAsync($"/api/sessions/{session}"))["lastSequence"]!.GetValue<long>();
        await using var hub = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        return await hub.ReadUntilAsync(session, 0, e => e.Sequence >= last, TimeSpan.FromSeconds(30));
    }

    private async Task<JsonArray> MessagesAsync(string session) => (await Http.GetFromJsonNodeAsync($"/api/sessions/{session}/messages")).AsArray();
}
