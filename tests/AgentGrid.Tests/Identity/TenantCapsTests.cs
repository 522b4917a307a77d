using System.Net;
using System.Net.Http.Json;
using AgentGrid.Grains.Identity;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>Per-tenant caps on counts (<c>AgentGrid:TenantCaps</c>): refused creates keep nothing, deletes free a place, tenants count apart.</summary>
public sealed class TenantCapsTests(CappedGridFixture fixture) : IClassFixture<CappedGridFixture>
{
    /// <summary>What each capped kind is created with, where it lists, and its cap on the test grid.</summary>
    private sealed record Kind(string Path, string? ListProperty, int Cap, Func<string, object> Body);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["knowledge bases"] = new("/api/knowledge-bases", "knowledgeBases", CappedGridFixture.KnowledgeBases, name => new { name }),
        ["tools"] = new("/api/tools", "tools", CappedGridFixture.Tools, name => new { name, kind = "files" }),
        ["agents"] = new("/api/agents", null, CappedGridFixture.Agents, name => new { name }),
        ["workflows"] = new("/api/workflows", null, CappedGridFixture.Workflows, name => new { name, steps = new[] { new { id = "check", approval = "Proceed?" } } }),
    };

    [Theory]
    [InlineData("knowledge bases")]
    [InlineData("tools")]
    [InlineData("agents")]
    [InlineData("workflows")]
    public async Task A_tenant_creates_up_to_its_cap_and_the_next_create_is_refused_keeping_nothing(string kind)
    {
        var things = Kinds[kind];
        using var member = await fixture.NewTenantMemberAsync();
        for (var i = 0; i < things.Cap; i++)
        {
            await CreateAsync(member, things, $"kept-{i}");
        }

        var refused = await member.PostJsonAsync(things.Path, things.Body("refused"));
        var listed = await NamesAsync(member, things);

        await refused.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Equal(["false"], refused.Headers.GetValues("x-should-retry"));
        Assert.Equal(Enumerable.Range(0, things.Cap).Select(i => $"kept-{i}"), listed);
    }

    [Theory]
    [InlineData("knowledge bases")]
    [InlineData("tools")]
    [InlineData("agents")]
    [InlineData("workflows")]
    public async Task Deleting_one_frees_a_place_and_the_refused_name_was_never_held(string kind)
    {
        var things = Kinds[kind];
        using var member = await fixture.NewTenantMemberAsync();
        var ids = new List<string>();
        for (var i = 0; i < things.Cap; i++)
        {
            ids.Add(await CreateAsync(member, things, $"kept-{i}"));
        }

        await (await member.PostJsonAsync(things.Path, things.Body("late"))).ProblemAsync(409, "tenant_quota_exceeded");

        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"{things.Path}/{ids[0]}")).StatusCode);
        await CreateAsync(member, things, "late");
        Assert.Contains("late", await NamesAsync(member, things));
        await (await member.PostJsonAsync(things.Path, things.Body("later"))).ProblemAsync(409, "tenant_quota_exceeded");
    }

    [Fact]
    public async Task A_tenant_at_its_caps_leaves_another_tenant_free_to_create()
    {
        using var full = await fixture.NewTenantMemberAsync();
        using var other = await fixture.NewTenantMemberAsync();
        foreach (var things in Kinds.Values)
        {
            for (var i = 0; i < things.Cap; i++)
            {
                await CreateAsync(full, things, $"kept-{i}");
            }
        }

        foreach (var things in Kinds.Values)
        {
            await (await full.PostJsonAsync(things.Path, things.Body("more"))).ProblemAsync(409, "tenant_quota_exceeded");
            await CreateAsync(other, things, "mine");
        }
    }

    [Fact]
    public async Task An_agent_at_its_version_cap_refuses_updates_and_rollbacks_and_keeps_its_current_version()
    {
        using var member = await fixture.NewTenantMemberAsync();
        var agent = await member.CreateAgentAsync(new { name = "versioned", systemPrompt = "v1" });
        await (await member.PutAsJsonAsync($"/api/agents/{agent}", new { name = "versioned", systemPrompt = "v2" })).JsonAsync(HttpStatusCode.OK);

        var update = await member.PutAsJsonAsync($"/api/agents/{agent}", new { name = "renamed", systemPrompt = "v3" });
        var rollback = await member.PostAsync($"/api/agents/{agent}/rollback/1", null);
        var current = await member.GetFromJsonNodeAsync($"/api/agents/{agent}");

        await update.ProblemAsync(409, "tenant_quota_exceeded");
        await rollback.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Equal((2, "versioned", "v2"), (current.Value<int>("version"), current.Value<string>("name"), current.Value<string>("systemPrompt")));
        await CreateAsync(member, Kinds["agents"], "renamed");
    }

    [Fact]
    public async Task An_mcp_attach_whose_tools_would_pass_the_tool_cap_is_refused_and_registers_none_of_them()
    {
        using var member = await fixture.NewTenantMemberAsync();
        var tools = Kinds["tools"];
        var first = await CreateAsync(member, tools, "own-1");
        await CreateAsync(member, tools, "own-2");

        // tally has two tools: with two of the three places taken, the second one does not fit.
        var refused = await member.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" });
        var toolsAfterRefusal = await NamesAsync(member, tools);
        var serversAfterRefusal = (await member.GetFromJsonNodeAsync("/api/mcp-servers"))["servers"]!.AsArray();

        await refused.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Equal(["own-1", "own-2"], toolsAfterRefusal);
        Assert.Empty(serversAfterRefusal);

        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"/api/tools/{first}")).StatusCode);
        await (await member.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(["local_environment", "local_tally", "own-2"], await NamesAsync(member, tools));
    }

    [Fact]
    public async Task A_second_mcp_server_past_the_server_cap_is_refused_before_it_registers_a_tool()
    {
        using var member = await fixture.NewTenantMemberAsync();
        await (await member.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).JsonAsync(HttpStatusCode.Created);

        var refused = await member.PostJsonAsync("/api/mcp-servers", new { name = "again", url = "stdio:tally" });

        await refused.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Equal(["local"], (await member.GetFromJsonNodeAsync("/api/mcp-servers"))["servers"]!.AsArray().Select(s => s.Value<string>("name")));
        Assert.Equal(["local_environment", "local_tally"], await NamesAsync(member, Kinds["tools"]));
    }

    [Fact]
    public void Every_cap_out_of_range_is_reported_at_once_and_zero_means_no_limit()
    {
        var validator = new TenantCapsOptionsValidator();
        var failures = validator.Validate(null, new TenantCapsOptions
        {
            KnowledgeBases = -1, Tools = TenantCapsOptions.MaxCap + 1, Agents = -5, AgentVersions = 0, Workflows = 0, McpServers = 0,
        }).Failures?.ToList() ?? [];

        Assert.Equal(3, failures.Count);
        Assert.All(["KnowledgeBases", "Tools", "Agents"], setting => Assert.Contains(failures, f => f.StartsWith($"AgentGrid:TenantCaps:{setting} must be", StringComparison.Ordinal)));
        Assert.True(validator.Validate(null, new TenantCapsOptions()).Succeeded);
    }

    private static async Task<string> CreateAsync(HttpClient http, Kind things, string name) =>
        (await (await http.PostJsonAsync(things.Path, things.Body(name))).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    private static async Task<string[]> NamesAsync(HttpClient http, Kind things)
    {
        var body = await http.GetFromJsonNodeAsync(things.Path);
        var items = things.ListProperty is null ? body.AsArray() : body[things.ListProperty]!.AsArray();
        return [.. items.Select(item => item.Value<string>("name")).Order(StringComparer.Ordinal)];
    }
}
