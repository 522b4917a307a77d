using System.Net;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Identity;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Quotas;

/// <summary>A tenant's tool runs and workflow runs in flight are limited per silo (<c>AgentGrid:TenantConcurrency</c>).</summary>
public sealed class TenantConcurrencyTests(QuotaGridFixture fixture) : IClassFixture<QuotaGridFixture>
{
    private TenantWorkSlots Slots => fixture.Grid.Services.GetRequiredService<TenantWorkSlots>();

    [Fact]
    public async Task A_tool_invoked_while_its_tenant_has_a_run_in_flight_is_refused_with_429_and_runs_once_the_slot_is_free()
    {
        var (tenant, member) = await fixture.NewTenantMemberAsync();
        using var _ = member;
        var tool = await member.CreateToolAsync(new { name = Api.UniqueName("files"), kind = "files" });
        var held = Slots.Enter(tenant, TenantWork.ToolRun);

        var refused = await member.PostJsonAsync($"/api/tools/{tool}/invoke", new { input = new { operation = "list_directory", path = "." } });
        var (otherTenant, other) = await fixture.NewTenantMemberAsync();
        using var __ = other;
        var otherTool = await other.CreateToolAsync(new { name = Api.UniqueName("files"), kind = "files" });
        var othersRun = await other.InvokeAsync(otherTool, new { operation = "list_directory", path = "." });
        held.Dispose();
        var ran = await member.InvokeAsync(tool, new { operation = "list_directory", path = "." });

        await refused.ProblemAsync(429, "rate_limited");
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("success", othersRun.Value<string>("status"));
        Assert.Equal("success", ran.Value<string>("status"));
        Assert.Equal(0, Slots.Held(tenant, TenantWork.ToolRun));
        Assert.Equal(0, Slots.Held(otherTenant, TenantWork.ToolRun));
    }

    [Fact]
    public async Task A_workflow_run_started_while_its_tenant_has_one_executing_is_refused_with_429_and_nothing_is_listed()
    {
        var (tenant, member) = await fixture.NewTenantMemberAsync();
        using var _ = member;
        var workflow = (await (await member.PostJsonAsync("/api/workflows", new
        {
            name = "quick",
            steps = new object[] { new { id = "skip", @if = new { value = "{{input}}", equals = "never" }, then = new object[] { new { id = "held", approval = "never asked" } } } },
        })).JsonAsync(HttpStatusCode.Created)).Value<string>("id");
        var held = Slots.Enter(tenant, TenantWork.WorkflowRun);

        var refused = await member.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "x" });
        var listed = await member.GetFromJsonNodeAsync($"/api/workflows/{workflow}/runs");
        held.Dispose();
        var started = await (await member.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = "x" })).JsonAsync(HttpStatusCode.Accepted);
        var ended = await Workflows.WorkflowEvents.WaitAsync(member, started.Value<string>("id"));

        await refused.ProblemAsync(429, "rate_limited");
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Empty(listed.AsArray());
        Assert.Equal("completed", ended.Value<string>("status"));
    }

    [Fact]
    public void Slots_are_counted_per_tenant_and_kind_and_zero_means_no_limit()
    {
        var slots = new TenantWorkSlots(Options.Create(new TenantConcurrencyOptions { ToolRuns = 2, McpCalls = 0, WorkflowRuns = 1 }));

        var first = slots.TryEnter("a", TenantWork.ToolRun);
        var second = slots.TryEnter("a", TenantWork.ToolRun);
        var third = slots.TryEnter("a", TenantWork.ToolRun);
        var otherTenant = slots.TryEnter("b", TenantWork.ToolRun);
        var unlimited = Enumerable.Range(0, 50).Select(_ => slots.TryEnter("a", TenantWork.McpCall)).ToList();
        var operators = Enumerable.Range(0, 50).Select(_ => slots.TryEnter(AgentGrid.Contracts.GridNames.DefaultTenant, TenantWork.WorkflowRun)).ToList();
        first!.Dispose();
        first.Dispose();
        var afterRelease = slots.TryEnter("a", TenantWork.ToolRun);
        var refusal = Assert.Throws<AgentGridException>(() => slots.Enter("a", TenantWork.ToolRun));

        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(otherTenant);
        Assert.All(unlimited, Assert.NotNull);
        Assert.All(operators, Assert.NotNull);
        Assert.NotNull(afterRelease);
        Assert.Equal((ErrorCodes.RateLimited, 1), (refusal.Code, refusal.RetryAfterSeconds!.Value));
        Assert.Equal(2, slots.Held("a", TenantWork.ToolRun));
    }

    [Fact]
    public void Concurrency_settings_out_of_range_are_all_reported()
    {
        var failures = new TenantConcurrencyOptionsValidator().Validate(null, new TenantConcurrencyOptions { ToolRuns = -1, McpCalls = TenantConcurrencyOptions.MaxLimit + 1, WorkflowRuns = -3 }).Failures!;

        Assert.All(["ToolRuns", "McpCalls", "WorkflowRuns"], setting => Assert.Contains(failures, f => f.StartsWith($"AgentGrid:TenantConcurrency:{setting} must be", StringComparison.Ordinal)));
        Assert.True(new TenantConcurrencyOptionsValidator().Validate(null, new TenantConcurrencyOptions()).Succeeded);
    }
}
