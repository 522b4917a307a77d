using System.Net;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Workflows;
using AgentGrid.Grains.Records;
using AgentGrid.Grains.Workflows;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.Workflows;

/// <summary>How long a run waits for a decision, on a grid of its own whose approval TTL is seconds, not days.</summary>
public sealed class WorkflowApprovalWaitTests(WorkflowApprovalWaitTests.Grid grid) : IClassFixture<WorkflowApprovalWaitTests.Grid>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    private HttpClient Http => grid.Embedded.Http;

    [Fact]
    public async Task A_run_left_undecided_past_its_approval_ttl_fails_with_approval_expired_and_keeps_no_reminder()
    {
        var workflow = await CreateAsync(new { name = "hold", steps = new[] { new { id = "hold", approval = "Go?" } } });
        var runId = await StartAsync(workflow);

        var expired = await WorkflowEvents.WaitAsync(Http, runId, TimeSpan.FromSeconds(60), status => status is not ("running" or "waiting_approval"));
        var late = await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/hold", new { approved = true });
        var key = GrainKeys.For("default", runId);
        var services = grid.Embedded.Services;
        var reminders = await services.GetRequiredService<Orleans.IReminderTable>().ReadRows(services.GetRequiredService<IGrainFactory>().GetGrain<IWorkflowRunGrain>(key).GetGrainId());
        var going = await services.GetRequiredService<IRecordStore>().ReadAsync(WorkflowRunGrain.RunningPartition, new RecordQuery(Prefix: key));

        var step = expired["steps"]![0]!;
        Assert.Equal(("failed", "approval_expired"), (expired.Value<string>("status"), expired.Value<string>("code")));
        Assert.Equal(("failed", "approval_expired"), (step.Value<string>("status"), step.Value<string>("code")));
        Assert.True(expired.Value<DateTimeOffset>("completedAt") - step.Value<DateTimeOffset>("startedAt") >= Ttl, "the run failed before its TTL");
        await late.ProblemAsync(410, "approval_expired");
        Assert.Empty(reminders.Reminders);
        Assert.Empty(going);
    }

    [Fact]
    public async Task Time_spent_waiting_for_a_decision_does_not_count_against_the_runs_timeout()
    {
        var workflow = await CreateAsync(new
        {
            name = "quick once approved", timeoutSeconds = 1,
            steps = new object[] { new { id = "check", approval = "Go?" }, new { id = "skip", @if = new { value = "x", equals = "y" }, then = new object[] { new { id = "never", approval = "Never?" } } } },
        });
        var runId = await StartAsync(workflow);
        await WorkflowEvents.WaitAsync(Http, runId);

        grid.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await (await Http.PostJsonAsync($"/api/workflow-runs/{runId}/approvals/check", new { approved = true })).JsonAsync(HttpStatusCode.OK);
        var ended = await WorkflowEvents.WaitAsync(Http, runId);

        Assert.True(ended.Value<string>("status") == "completed", $"{ended.Value<string>("status")}: {ended.Value<string>("error")}");
    }

    private async Task<string> CreateAsync(object definition) =>
        (await (await Http.PostJsonAsync("/api/workflows", definition)).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    private async Task<string> StartAsync(string workflow) =>
        (await (await Http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "" })).JsonAsync(HttpStatusCode.Accepted)).Value<string>("id");

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("31.00:00:00")]
    public void An_approval_ttl_outside_one_second_to_thirty_days_is_refused(string ttl) =>
        Assert.Contains("AgentGrid:Workflows:ApprovalTtl", Assert.Single(new WorkflowOptionsValidator()
            .Validate(null, new WorkflowOptions { ApprovalTtl = TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture) }).Failures!));

    /// <summary>An embedded grid on a clock the tests can move, with an approval TTL of a few seconds.</summary>
    public sealed class Grid : IAsyncLifetime
    {
        private readonly TempDirectory _data = new();

        public ShiftedClock Clock { get; } = new();

        public EmbeddedGrid Embedded { get; private set; } = null!;

        public async Task InitializeAsync() => Embedded = await EmbeddedGrid.StartAsync(_data.Path,
            new Dictionary<string, string?> { ["AgentGrid:Workflows:ApprovalTtl"] = Ttl.ToString() },
            builder => builder.Services.AddSingleton<TimeProvider>(Clock));

        public async Task DisposeAsync()
        {
            await Embedded.DisposeAsync();
            _data.Dispose();
        }
    }
}
