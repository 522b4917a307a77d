using System.Net;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Quotas;

/// <summary>Workflow steps are in the usage ledger, in a column of their own, under the key that started the run.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class WorkflowStepUsageTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task A_runs_tool_steps_appear_in_api_usage_as_workflow_steps_and_tool_runs_and_not_as_model_requests()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));
        var keyId = (await member.GetFromJsonNodeAsync("/api/me")).Value<string>("id");
        var tool = Api.UniqueName("files");
        await member.CreateToolAsync(new { name = tool, kind = "files" });
        var workflow = (await (await member.PostJsonAsync("/api/workflows", new
        {
            name = "two writes",
            steps = new object[]
            {
                new { id = "first", tool, arguments = new { operation = "write_file", path = "a.txt", content = "one" } },
                new { id = "second", tool, arguments = new { operation = "write_file", path = "b.txt", content = "two" } },
                new { id = "skip", @if = new { value = "{{input}}", equals = "never" }, then = new object[] { new { id = "held", approval = "never asked" } } },
            },
        })).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

        var run = await (await member.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "go" })).JsonAsync(HttpStatusCode.Accepted);
        var ended = await Workflows.WorkflowEvents.WaitAsync(member, run.Value<string>("id"));
        var usage = (await member.GetFromJsonNodeAsync("/api/usage?groupBy=key,model")).AsArray();

        Assert.Equal("completed", ended.Value<string>("status"));
        var work = Assert.Single(usage, r => r!.Value<string>("model") == "")!;
        Assert.Equal((keyId, 2L, 2L, 0L), (work.Value<string>("key"), work.Value<long>("workflowSteps"), work.Value<long>("toolRuns"), work.Value<long>("requests")));
    }
}
