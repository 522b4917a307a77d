using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Workflows;

/// <summary>A workflow's runs are listed page by page, newest first, however many there are.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class WorkflowRunListTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task More_than_a_hundred_runs_are_all_listed_page_by_page_newest_first()
    {
        var workflow = await CreateAsync();
        var started = new List<string>();
        for (var i = 0; i < 105; i++)
        {
            started.Add((await (await Http.PostJsonAsync($"/api/workflows/{workflow}/runs", new { input = $"run {i}" })).JsonAsync(HttpStatusCode.Accepted)).Value<string>("id"));
        }

        var listed = new List<string>();
        var pages = 0;
        for (var next = $"/api/workflows/{workflow}/runs?limit=50"; next is not null; pages++)
        {
            using var response = await Http.GetAsync(next);
            listed.AddRange((await response.JsonArrayAsync()).Select(r => r.Value<string>("id")));
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(started), listed);
    }

    [Theory]
    [InlineData("before=0", "before")]
    [InlineData("before=later", "before")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=some", "limit")]
    public async Task Bad_paging_input_is_refused_naming_the_field(string query, string field)
    {
        var workflow = await CreateAsync();

        var response = await Http.GetAsync($"/api/workflows/{workflow}/runs?{query}");

        await response.ProblemAsync(400, "validation_failed", field);
    }

    /// <summary>A workflow whose one step is a branch not taken: each run completes at once.</summary>
    private async Task<string> CreateAsync() =>
        (await (await Http.PostJsonAsync("/api/workflows", new
        {
            name = "quick",
            steps = new object[] { new { id = "skip", @if = new { value = "{{input}}", equals = "never" }, then = new object[] { new { id = "held", approval = "never asked" } } } },
        })).JsonAsync(HttpStatusCode.Created)).Value<string>("id");
}
