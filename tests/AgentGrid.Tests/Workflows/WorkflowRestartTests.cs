using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Tools;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Workflows;

/// <summary>A workflow run outlives the silo it ran on.</summary>
public sealed class WorkflowRestartTests
{
    [Fact]
    public async Task A_run_cut_off_by_a_silo_kill_resumes_on_a_new_silo_without_repeating_a_completed_step()
    {
        await using var web = await RecordingWebServer.StartAsync();
        await using var slowModel = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(10), InterTokenLatency = TimeSpan.FromMilliseconds(150), TokensPerReply = 30,
        });
        var settings = new Dictionary<string, string?>
        {
            ["AgentGrid:Outbound:AllowedNetworks:0"] = "127.0.0.1/32",
            ["AgentGrid:Inference:Models:thoughtful:BaseUrl"] = slowModel.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:thoughtful:Model"] = SimulatorOptions.DefaultModelId,
        };
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var tenant = new Keys().Tenant;
        var runKey = "";

        var first = await GridCluster.StartAsync(database, settings);
        var grains = first.Client;
        var agent = await grains.GetGrain<IAgentGrain>(GrainKeys.For(tenant, GrainKeys.NewId("agt"))).CreateAsync(new AgentDefinition { Name = "thinker", Model = "thoughtful" });
        foreach (var name in new[] { "before", "after" })
        {
            await grains.GetGrain<IToolGrain>(GrainKeys.For(tenant, GrainKeys.NewId("tool"))).CreateAsync(new ToolDefinition
            {
                Name = name, Kind = ToolKind.Http, Url = new Uri(web.Address, $"echo?step={name}").ToString(),
            });
        }

        var workflow = grains.GetGrain<IWorkflowGrain>(GrainKeys.For(tenant, GrainKeys.NewId("wf")));
        await workflow.CreateAsync($$$"""
            {"name":"survivor","steps":[
              {"id":"first","tool":"before","arguments":{"n":1}},
              {"id":"think","agent":"{{{agent.Id}}}","input":"Consider {{input}}"},
              {"id":"last","tool":"after","arguments":{"n":2}}]}
            """);
        var run = await workflow.StartRunAsync("the tides", null);
        runKey = GrainKeys.For(tenant, run.Id);
        await Eventually.TrueAsync(async () => (await grains.GetGrain<IWorkflowRunGrain>(runKey).GetAsync()).Steps.Any(s => s is { StepId: "think", Status: StepStatus.Running }),
            TimeSpan.FromSeconds(30), "the agent step to be under way");
        await first.KillSiloAsync(first.Silos[0]);
        await first.DisposeAsync();

        await using var second = await GridCluster.StartAsync(database, settings);
        var resumed = second.Client.GetGrain<IWorkflowRunGrain>(runKey);
        await Eventually.TrueAsync(async () => (await resumed.GetAsync()).Status != WorkflowRunStatus.Running, TimeSpan.FromSeconds(60), "the resumed run to end");

        var ended = await resumed.GetAsync();
        Assert.True(ended.Status == WorkflowRunStatus.Completed, $"{ended.Status}: {ended.Code} {ended.Error}");
        Assert.Equal(1, ended.Resumptions);
        Assert.Equal(["first", "think", "last"], ended.Steps.Select(s => s.StepId));
        Assert.Equal(["POST /echo?step=before", "POST /echo?step=after"], web.Hits);
        Assert.False(string.IsNullOrEmpty(ended.Steps[1].Output));
    }
}
