using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Workflows;

/// <summary>Workflows over HTTP against the simulator: sequences, fan-out, branches, hand-offs, approvals, limits, bad definitions.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class WorkflowApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_sequence_passes_an_agents_reply_to_a_tool_and_every_step_is_recorded()
    {
        var writer = Api.UniqueName("writer");
        await Http.CreateToolAsync(new { name = writer, kind = "files" });
        var agent = Api.UniqueName("drafter");
        await Http.CreateAgentAsync(new { name = agent });
        var file = Api.UniqueName("draft") + ".txt";

        var workflow = await CreateAsync(new
        {
            name = "draft and file",
            steps = new object[]
            {
                new { id = "draft", agent, input = "Draft a note about {{input}}" },
                new { id = "file", tool = writer, arguments = new { operation = "write_file", path = file, content = "{{steps.draft.output}}" } },
            },
        });
        var run = await RunToEndAsync(workflow, "tides");
        var saved = await Http.InvokeAsync(await Http.CreateToolAsync(new { name = Api.UniqueName("reader"), kind = "files" }), new { operation = "read_file", path = file });

        Assert.Equal("completed", run.Value<string>("status"));
        Assert.Equal(["draft", "file"], run["steps"]!.AsArray().Select(s => s.Value<string>("stepId")));
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal("completed", s.Value<string>("status")));
        Assert.Equal(run["steps"]![0].Value<string>("output"), saved["output"]!.Value<string>("content"));
    }

    [Fact]
    public async Task Parallel_branches_fan_in_and_a_branch_chooses_by_their_outputs()
    {
        var agent = Api.UniqueName("analyst");
        await Http.CreateAgentAsync(new { name = agent });
        var echo = Api.UniqueName("files");
        await Http.CreateToolAsync(new { name = echo, kind = "files" });

        var workflow = await CreateAsync(new
        {
            name = "fan out",
            steps = new object[]
            {
                new { id = "both", parallel = new object[] { new { id = "left", agent, input = "left {{input}}" }, new { id = "right", agent, input = "right {{input}}" } } },
                new
                {
                    id = "choose",
                    @if = new { value = "{{steps.both.output}}", contains = "\"left\"" },
                    then = new object[] { new { id = "yes", tool = echo, arguments = new { operation = "write_file", path = Api.UniqueName("fan") + ".txt", content = "{{steps.left.output}}" } } },
                    @else = new object[] { new { id = "no", agent, input = "never" } },
                },
            },
        });
        var run = await RunToEndAsync(workflow, "x");
        var fanIn = JsonNode.Parse(Step(run, "both").Value<string>("output")!)!;

        Assert.Equal("completed", run.Value<string>("status"));
        Assert.Equal(Step(run, "left").Value<string>("output"), fanIn.Value<string>("left"));
        Assert.Equal(Step(run, "right").Value<string>("output"), fanIn.Value<string>("right"));
        Assert.Equal("completed", Step(run, "yes").Value<string>("status"));
        Assert.DoesNotContain(run["steps"]!.AsArray(), s => s.Value<string>("stepId") == "no");
    }

    [Fact]
    public async Task A_handoff_step_passes_the_conversation_to_the_agent_the_first_one_transfers_to()
    {
        var triage = Api.UniqueName("triage");
        var billing = Api.UniqueName("billing");
        await Http.CreateAgentAsync(new { name = triage, systemPrompt = "Route questions." });
        var billingId = await Http.CreateAgentAsync(new { name = billing, systemPrompt = "Answer billing questions." });

        var workflow = await CreateAsync(new
        {
            name = "support",
            steps = new object[] { new { id = "desk", handoff = new { agents = new[] { triage, billing }, input = "{{input}}" } } },
        });
        var run = await RunToEndAsync(workflow, $"My invoice is wrong; transfer_to_{billing.Replace('-', '_')} please.");

        Assert.Equal("completed", run.Value<string>("status"));
        Assert.Equal(billingId, Step(run, "desk").Value<string>("agentId"));
        Assert.Contains($"Transferred to {billing}", run.Value<string>("output"));
    }

    [Fact]
    public async Task An_approval_step_holds_the_run_until_a_member_approves_and_a_denial_fails_it()
    {
        var agent = Api.UniqueName("clerk");
        await Http.CreateAgentAsync(new { name = agent });
        var workflow = await CreateYamlAsync($$$"""
            name: approve then answer
            steps:
              - id: check
                approval: "Proceed with {{input}}?"
              - id: answer
                agent: {{{agent}}}
            """);

        var waiting = await RunToEndAsync(workflow, "the refund");
        var runId = waiting.Value<string>("id");
        var early = await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/answer", new { approved = true });
        await (await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/check", new { approved = true, comment = "go" })).JsonAsync(HttpStatusCode.OK);
        var approved = await WaitAsync(runId);

        var denied = await RunToEndAsync(workflow, "the other refund");
        var refused = await (await Http.PostJsonAsync($"/api/workflow-runs/{denied.Value<string>("id")}/approvals/check", new { approved = false, comment = "no" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(("waiting_approval", "Proceed with the refund?"), (waiting.Value<string>("status"), Step(waiting, "check").Value<string>("prompt")));
        await early.ProblemAsync(409, "workflow_run_conflict");
        Assert.Equal(("completed", "go"), (approved.Value<string>("status"), Step(approved, "check").Value<string>("output")));
        Assert.Equal(("failed", "workflow_step_failed"), (refused.Value<string>("status"), refused.Value<string>("code")));
        Assert.DoesNotContain(refused["steps"]!.AsArray(), s => s.Value<string>("stepId") == "answer");
    }

    [Fact]
    public async Task A_waiting_run_can_be_cancelled_once()
    {
        var workflow = await CreateAsync(new { name = "hold", steps = new object[] { new { id = "hold", approval = "wait" } } });
        var run = await RunToEndAsync(workflow, "");

        var cancelled = await (await Http.PostAsync($"/api/workflow-runs/{run.Value<string>("id")}/cancel", null)).JsonAsync(HttpStatusCode.OK);
        var again = await Http.PostAsync($"/api/workflow-runs/{run.Value<string>("id")}/cancel", null);

        Assert.Equal("cancelled", cancelled.Value<string>("status"));
        await again.ProblemAsync(409, "workflow_run_conflict");
    }

    [Fact]
    public async Task A_run_cancelled_while_a_step_is_out_stays_cancelled_and_runs_nothing_after_it()
    {
        var agent = Api.UniqueName("slowpoke");
        await Http.CreateAgentAsync(new { name = agent, model = "trickle" });
        var writer = Api.UniqueName("after");
        var tool = await Http.CreateToolAsync(new { name = writer, kind = "files" });
        var workflow = await CreateAsync(new
        {
            name = "cancel me",
            steps = new object[] { new { id = "think", agent }, new { id = "write", tool = writer, arguments = new { operation = "write_file", path = writer + ".txt", content = "x" } } },
        });
        var run = (await (await Http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "slowly" })).JsonAsync(HttpStatusCode.Accepted)).Value<string>("id");
        string? session = null;
        await Eventually.TrueAsync(async () =>
        {
            var steps = (await Http.GetFromJsonNodeAsync($"/api/workflow-runs/{run}"))["steps"]!.AsArray();
            session = steps.FirstOrDefault(s => s.Value<string>("stepId") == "think")?["sessionId"]?.GetValue<string>();
            // The step names its session a moment before it opens it.
            using var messages = session is null ? null : await Http.GetAsync($"/api/sessions/{session}/messages");
            return messages is { StatusCode: HttpStatusCode.OK } && System.Text.Json.Nodes.JsonNode.Parse(await messages.Content.ReadAsStringAsync())!.AsArray().Count > 0;
        }, TimeSpan.FromSeconds(30), "the agent step's turn to start");

        var cancelled = await (await Http.PostAsync($"/api/workflow-runs/{run}/cancel", null)).JsonAsync(HttpStatusCode.OK);
        // The step's turn is stopped with the run: its backend request ends.
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Trickle.Engine.Running == 0), TimeSpan.FromSeconds(30), "the step's model call to end");
        var after = await Http.GetFromJsonNodeAsync($"/api/workflow-runs/{run}");

        Assert.Equal("cancelled", cancelled.Value<string>("status"));
        Assert.Equal("cancelled", after.Value<string>("status"));
        Assert.DoesNotContain(after["steps"]!.AsArray(), s => s.Value<string>("stepId") == "write");
        Assert.Empty((await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray());
    }

    [Fact]
    public async Task A_run_past_its_step_cap_fails_with_a_typed_error()
    {
        var agent = Api.UniqueName("busy");
        await Http.CreateAgentAsync(new { name = agent });
        var workflow = await CreateAsync(new
        {
            name = "too many", maxSteps = 2,
            steps = new object[] { new { id = "a", agent }, new { id = "b", agent }, new { id = "c", agent } },
        });

        var run = await RunToEndAsync(workflow, "go");

        Assert.Equal(("failed", "workflow_limit_exceeded"), (run.Value<string>("status"), run.Value<string>("code")));
        Assert.Equal(["completed", "completed", "failed"], run["steps"]!.AsArray().Select(s => s.Value<string>("status")));
    }

    [Theory]
    [InlineData("""{"steps":[{"id":"a","approval":"x"}]}""", "name")]
    [InlineData("""{"name":"n","steps":[]}""", "steps")]
    [InlineData("""{"name":"n","steps":[{"id":"a","approval":"x","agent":"y"}]}""", "steps[0]")]
    [InlineData("""{"name":"n","steps":[{"id":"a","approval":"x"},{"id":"a","approval":"y"}]}""", "steps")]
    [InlineData("""{"name":"n","steps":[{"id":"a","approval":"{{steps.nope.output}}"}]}""", "steps.a")]
    [InlineData("""{"name":"n","steps":[{"id":"a","agent":"no-such-agent-anywhere"}]}""", "steps.a")]
    [InlineData("""{"name":"n","steps":[{"id":"a","if":{"value":"x","matches":"("},"then":[{"id":"b","approval":"y"}]}]}""", "steps[0].if.matches")]
    [InlineData("""{"name":"n","maxSteps":0,"steps":[{"id":"a","approval":"x"}]}""", "maxSteps")]
    public async Task A_bad_definition_is_refused_naming_its_place(string definition, string field)
    {
        var response = await Http.PostAsync("/api/workflows", new StringContent(definition, Encoding.UTF8, "application/json"));

        await response.ProblemAsync(400, "validation_failed", field);
    }

    [Fact]
    public async Task Yaml_anchors_and_other_media_types_are_refused()
    {
        var anchored = await Http.PostAsync("/api/workflows", new StringContent("name: &n x\nsteps:\n  - id: a\n    approval: *n\n", Encoding.UTF8, "application/yaml"));
        var text = await Http.PostAsync("/api/workflows", new StringContent("name: x", Encoding.UTF8, "text/plain"));

        await anchored.ProblemAsync(400, "validation_failed", "definition");
        await text.ProblemAsync(415, "unsupported_media_type");
    }

    private async Task<string> CreateAsync(object definition) =>
        (await (await Http.PostJsonAsync("/api/workflows", definition)).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    private async Task<string> CreateYamlAsync(string yaml) =>
        (await (await Http.PostAsync("/api/workflows", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    /// <summary>Starts a run and follows its events until it ends or waits for approval.</summary>
    private async Task<JsonObject> RunToEndAsync(string workflow, string input)
    {
        var started = await (await Http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input })).JsonAsync(HttpStatusCode.Accepted);
        return await WaitAsync(started.Value<string>("id"));
    }

    private async Task<JsonObject> WaitAsync(string runId) => await WorkflowEvents.WaitAsync(Http, runId);

    private static JsonNode Step(JsonObject run, string id) => run["steps"]!.AsArray().Single(s => s.Value<string>("stepId") == id)!;
}
