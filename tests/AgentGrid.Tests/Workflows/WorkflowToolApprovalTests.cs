using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Workflows;

/// <summary>A workflow's tool step on a tool that requires approval waits for a member, as a session's tool call does.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class WorkflowToolApprovalTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_tool_step_that_needs_approval_waits_showing_its_rendered_arguments_and_runs_exactly_them_once_approved()
    {
        var agent = Api.UniqueName("drafter");
        await Http.CreateAgentAsync(new { name = agent });
        var writer = Api.UniqueName("writer");
        var tool = await Http.CreateToolAsync(new { name = writer, kind = "files", requiresApproval = true });
        var path = Api.UniqueName("note") + ".txt";
        var workflow = await CreateAsync(new
        {
            name = "draft then file",
            steps = new object[]
            {
                new { id = "draft", agent, input = "Draft a note about {{input}}" },
                new { id = "file", tool = writer, arguments = new { operation = "write_file", path, content = "{{steps.draft.output}}" } },
            },
        });

        var waiting = await StartAsync(workflow, "tides");
        var runId = waiting.Value<string>("id");
        var step = Step(waiting, "file");
        var shown = JsonNode.Parse(step.Value<string>("arguments"))!;
        var notRunYet = await ExecutionsAsync(tool);
        var edited = await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/file", new { approved = true, arguments = new { operation = "write_file", path, content = "something else" } });
        await (await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/file", new { approved = true, arguments = shown, comment = "ship it" })).JsonAsync(HttpStatusCode.OK);
        var done = await WorkflowEvents.WaitAsync(Http, runId);
        var ran = await ExecutionsAsync(tool);

        Assert.Equal("waiting_approval", waiting.Value<string>("status"));
        Assert.NotNull(waiting["approvalExpiresAt"]);
        Assert.Equal(("waiting_approval", tool, writer), (step.Value<string>("status"), step.Value<string>("toolId"), step.Value<string>("toolName")));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["operation"] = "write_file", ["path"] = path, ["content"] = Step(waiting, "draft").Value<string>("output") }, shown));
        Assert.Empty(notRunYet);
        await edited.ProblemAsync(409, "approval_mismatch", "arguments");
        Assert.Equal("completed", done.Value<string>("status"));
        Assert.Equal(("completed", "ship it"), (Step(done, "file").Value<string>("status"), Step(done, "file").Value<string>("decision")));
        Assert.Equal("success", Assert.Single(ran).Value<string>("status"));
        Assert.True(JsonNode.DeepEquals(shown, ran[0]!["input"]));
    }

    [Fact]
    public async Task A_denied_tool_step_fails_the_run_like_a_denied_approval_step_and_its_tool_logs_the_denial_without_running()
    {
        var writer = Api.UniqueName("writer");
        var tool = await Http.CreateToolAsync(new { name = writer, kind = "files", requiresApproval = true });
        var workflow = await CreateAsync(new
        {
            name = "file it",
            steps = new object[]
            {
                new { id = "file", tool = writer, arguments = new { operation = "write_file", path = Api.UniqueName("no") + ".txt", content = "{{input}}" } },
                new { id = "after", approval = "never reached" },
            },
        });

        var waiting = await StartAsync(workflow, "overwrite everything");
        var denied = await (await Http.PostJsonAsync($"/api/workflow-runs/{waiting.Value<string>("id")}/approvals/file", new { approved = false, comment = "not that" })).JsonAsync(HttpStatusCode.OK);
        var log = await ExecutionsAsync(tool);

        Assert.Equal(("failed", "workflow_step_failed"), (denied.Value<string>("status"), denied.Value<string>("code")));
        Assert.Equal(("failed", "Denied: not that"), (Step(denied, "file").Value<string>("status"), Step(denied, "file").Value<string>("error")));
        Assert.DoesNotContain(denied["steps"]!.AsArray(), s => s.Value<string>("stepId") == "after");
        Assert.Equal(("denied", "overwrite everything"), (Assert.Single(log).Value<string>("status"), log[0]!["input"].Value<string>("content")));
    }

    private async Task<string> CreateAsync(object definition) =>
        (await (await Http.PostJsonAsync("/api/workflows", definition)).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    private async Task<JsonObject> StartAsync(string workflow, string input)
    {
        var started = await (await Http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input })).JsonAsync(HttpStatusCode.Accepted);
        return await WorkflowEvents.WaitAsync(Http, started.Value<string>("id"));
    }

    private async Task<JsonArray> ExecutionsAsync(string tool) => (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();

    private static JsonNode Step(JsonObject run, string id) => run["steps"]!.AsArray().Single(s => s.Value<string>("stepId") == id)!;
}
