using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Quotas;

/// <summary>Every list pages the same way: <c>limit</c>, an opaque <c>after</c>, and <c>Link: rel="next"</c> until the end.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class ListPagingTests(FrontDoorFixture fixture)
{
    /// <summary>Where a kind is created, how, and where its list keeps the items (null: the body is the array).</summary>
    private sealed record Kind(string Path, string? ListProperty, Func<string, object> Body);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["tools"] = new("/api/tools", "tools", name => new { name, kind = "files" }),
        ["knowledge bases"] = new("/api/knowledge-bases", "knowledgeBases", name => new { name }),
        ["agents"] = new("/api/agents", null, name => new { name }),
        ["workflows"] = new("/api/workflows", null, name => new { name, steps = new[] { new { id = "check", approval = "Proceed?" } } }),
    };

    [Theory]
    [InlineData("tools")]
    [InlineData("knowledge bases")]
    [InlineData("agents")]
    [InlineData("workflows")]
    public async Task Following_the_next_links_lists_every_item_once_in_pages_of_the_limit(string kind)
    {
        var things = Kinds[kind];
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", await fixture.Http.CreateTenantAsync()));
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await (await member.PostJsonAsync(things.Path, things.Body($"item-{i}"))).JsonAsync(HttpStatusCode.Created)).Value<string>("id"));
        }

        var (pages, listed) = await WalkAsync(member, $"{things.Path}?limit=3", things.ListProperty);
        var whole = Items(await member.GetFromJsonNodeAsync(things.Path), things.ListProperty);

        Assert.Equal([3, 3, 1], pages);
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(7, listed.Distinct().Count());
        Assert.Equal(listed, whole);
    }

    [Fact]
    public async Task Keys_of_a_tenant_page_with_the_tenant_filter_kept_in_the_link()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await (await fixture.Http.PostJsonAsync("/api/keys", new { name = $"k{i}", role = "reader", tenant })).JsonAsync(HttpStatusCode.Created)).Value<string>("id"));
        }

        var (pages, listed) = await WalkAsync(fixture.Http, $"/api/keys?tenant={tenant}&limit=2", null);

        Assert.Equal([2, 2, 1], pages);
        Assert.Equal(created, listed);
    }

    [Fact]
    public async Task Documents_page_oldest_first()
    {
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", await fixture.Http.CreateTenantAsync()));
        var kb = (await (await member.PostJsonAsync("/api/knowledge-bases", new { name = "docs" })).JsonAsync(HttpStatusCode.Created)).Value<string>("id");
        var accepted = await (await Knowledge.Http.KnowledgeClient.UploadAsync(member, kb,
            Knowledge.Http.KnowledgeClient.Text("a.txt", "Alpha."), Knowledge.Http.KnowledgeClient.Text("b.txt", "Beta."), Knowledge.Http.KnowledgeClient.Text("c.txt", "Gamma."))).JsonAsync(HttpStatusCode.Accepted);

        var (pages, listed) = await WalkAsync(member, $"/api/knowledge-bases/{kb}/documents?limit=2", "documents");

        Assert.Equal([2, 1], pages);
        Assert.Equal(accepted["documents"]!.AsArray().Select(d => d.Value<string>("id")).Order(), listed.Order());
    }

    [Theory]
    [InlineData("/api/tools?limit=0", "limit")]
    [InlineData("/api/agents?limit=1001", "limit")]
    [InlineData("/api/workflows?limit=many", "limit")]
    [InlineData("/api/knowledge-bases?after=%21%21%21", "after")]
    public async Task Bad_paging_input_is_refused_naming_the_field(string path, string field)
    {
        var response = await fixture.Http.GetAsync(path);

        await response.ProblemAsync(400, "validation_failed", field);
    }

    [Fact]
    public async Task A_tools_execution_log_and_an_agents_memories_page_newest_first_within_the_callers_owner()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        using var member = fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("member", tenant, "pager"));
        using var colleague = fixture.Grid.Client(await fixture.Http.CreateOwnedKeyAsync("member", tenant, "colleague"));
        var tool = await member.CreateToolAsync(new { name = Api.UniqueName("paged"), kind = "files" });
        var agent = await member.CreateAgentAsync(new { name = Api.UniqueName("paged") });
        var runs = new List<string>();
        var facts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add((await member.InvokeAsync(tool, new { operation = "list_directory", path = "" })).Value<string>("id"));
            await colleague.InvokeAsync(tool, new { operation = "list_directory", path = "" });
            facts.Add((await (await member.PostJsonAsync($"/api/agents/{agent}/memories", new { text = $"Fact number {i}." })).JsonAsync(HttpStatusCode.Created)).Value<string>("id"));
        }

        var (runPages, listedRuns) = await WalkAsync(member, $"/api/tools/{tool}/executions?limit=2", "executions");
        var (factPages, listedFacts) = await WalkAsync(member, $"/api/agents/{agent}/memories?limit=2", "memories");

        Assert.Equal([2, 2, 1], runPages);
        Assert.Equal(Enumerable.Reverse(runs), listedRuns);
        Assert.Equal([2, 2, 1], factPages);
        Assert.Equal(Enumerable.Reverse(facts), listedFacts);
        await (await member.GetAsync($"/api/tools/{tool}/executions?limit=501")).ProblemAsync(400, "validation_failed", "limit");
    }

    private static async Task<(List<int> Pages, List<string> Ids)> WalkAsync(HttpClient http, string first, string? listProperty)
    {
        var pages = new List<int>();
        var ids = new List<string>();
        for (var next = first; next is not null;)
        {
            using var response = await http.GetAsync(next);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = Items(body!, listProperty);
            pages.Add(items.Count);
            ids.AddRange(items);
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
            Assert.True(pages.Count < 20, "the walk did not end");
        }

        return (pages, ids);
    }

    private static List<string> Items(JsonNode body, string? listProperty) =>
        [.. (listProperty is null ? body.AsArray() : body[listProperty]!.AsArray()).Select(item => item.Value<string>("id"))];
}
