using System.Net;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;

namespace AgentGrid.Tests.Tools;

/// <summary>The tool registry over HTTP: define, invoke directly, read the execution log, stay inside the tenant.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class ToolApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_files_tool_writes_and_reads_in_the_tenant_sandbox_and_logs_every_execution()
    {
        var tool = await Http.CreateToolAsync(new { name = Api.UniqueName("files"), kind = "files" });

        var written = await Http.InvokeAsync(tool, new { operation = "write_file", path = "notes/todo.txt", content = "buy milk" });
        var read = await Http.InvokeAsync(tool, new { operation = "read_file", path = "notes/todo.txt" });
        var escape = await Http.InvokeAsync(tool, new { operation = "read_file", path = "../../etc/passwd" });
        var log = (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();

        Assert.Equal("success", written.Value<string>("status"));
        Assert.Equal("buy milk", read["output"]!.Value<string>("content"));
        Assert.Equal(("error", "validation_failed"), (escape.Value<string>("status"), escape.Value<string>("errorCode")));
        Assert.Equal([escape.Value<string>("id"), read.Value<string>("id"), written.Value<string>("id")], log.Select(e => e.Value<string>("id")));
        Assert.Equal("read_file", log[1]!["input"]!.Value<string>("operation"));
    }

    [Fact]
    public async Task Input_that_breaks_the_schema_is_refused_before_the_tool_runs_and_the_refusal_is_logged()
    {
        var tool = await Http.CreateToolAsync(new
        {
            name = Api.UniqueName("typed"), kind = "files",
            inputSchema = new { type = "object", required = new[] { "operation", "path" }, properties = new { operation = new { @enum = new[] { "read_file" } }, path = new { type = "string" } } },
        });

        var problem = await (await Http.PostJsonAsync($"/api/tools/{tool}/invoke", new { input = new { operation = "read_file", path = 42 } })).ProblemAsync(400, "validation_failed");
        var log = (await Http.GetFromJsonNodeAsync($"/api/tools/{tool}/executions"))["executions"]!.AsArray();

        Assert.Equal("input.path", problem.Value<string>("field"));
        Assert.Equal(("error", "validation_failed"), (log[0].Value<string>("status"), log[0].Value<string>("errorCode")));
    }

    [Fact]
    public async Task A_read_only_sqlite_tool_queries_but_cannot_write_and_a_writable_one_can()
    {
        var writable = await Http.CreateToolAsync(new { name = Api.UniqueName("sqlrw"), kind = "sqlite", writable = true });
        var reader = await Http.CreateToolAsync(new { name = Api.UniqueName("sqlro"), kind = "sqlite" });
        var table = "t" + Guid.NewGuid().ToString("N")[..8];

        var created = await Http.InvokeAsync(writable, new { query = $"CREATE TABLE {table} (name TEXT)" });
        var inserted = await Http.InvokeAsync(writable, new { query = $"INSERT INTO {table} VALUES ($name)", parameters = new { name = "ada" } });
        var selected = await Http.InvokeAsync(reader, new { query = $"SELECT name FROM {table}" });
        var refused = await Http.InvokeAsync(reader, new { query = $"DELETE FROM {table}" });
        var huge = await Http.InvokeAsync(reader, new { query = "SELECT zeroblob(100000000)" });

        Assert.Equal(["success", "success", "success"], new[] { created, inserted, selected }.Select(e => e.Value<string>("status")));
        Assert.Equal("ada", selected["output"]!["rows"]![0]![0]!.GetValue<string>());
        Assert.Equal("error", refused.Value<string>("status"));
        Assert.Equal(("error", "tool_failed"), (huge.Value<string>("status"), huge.Value<string>("errorCode")));
        Assert.Equal("ada", (await Http.InvokeAsync(reader, new { query = $"SELECT name FROM {table}" }))["output"]!["rows"]![0]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_knowledge_search_tool_searches_a_knowledge_base_of_the_tenant()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        await Http.UploadReadyAsync(kb, KnowledgeClient.Text("canteen.txt", "The canteen serves lunch from noon to two."));
        var tool = await Http.CreateToolAsync(new { name = Api.UniqueName("kbs"), kind = "knowledge_search", knowledgeBaseId = kb });

        var found = await Http.InvokeAsync(tool, new { query = "when is lunch served" });

        Assert.Equal("canteen.txt", found["output"]!["results"]![0].Value<string>("document_name"));
    }

    [Fact]
    public async Task Outbound_urls_to_loopback_private_or_metadata_addresses_are_refused_and_never_reached()
    {
        await using var server = await RecordingWebServer.StartAsync();
        var http = await Http.CreateToolAsync(new { name = Api.UniqueName("hook"), kind = "http", url = new Uri(server.Address, "echo").ToString() });
        var fetch = await Http.CreateToolAsync(new { name = Api.UniqueName("fetch"), kind = "http_fetch" });

        var posted = await Http.InvokeAsync(http, new { hello = "world" });
        var fetched = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var url in new[]
        {
            new Uri(server.Address, "page").ToString(), $"http://localhost:{server.Port}/page", $"http://[::1]:{server.Port}/page",
            $"http://[::ffff:127.0.0.1]:{server.Port}/page", $"http://2130706433:{server.Port}/page", "http://169.254.169.254/latest/meta-data/",
        })
        {
            fetched.Add(await Http.InvokeAsync(fetch, new { url }));
        }

        Assert.Equal(("error", "url_not_allowed"), (posted.Value<string>("status"), posted.Value<string>("errorCode")));
        Assert.All(fetched, f => Assert.Equal(("error", "url_not_allowed"), (f.Value<string>("status"), f.Value<string>("errorCode"))));
        Assert.Empty(server.Hits);
        await (await Http.PostJsonAsync("/api/mcp-servers", new { name = "local", url = new Uri(server.Address, "mcp").ToString() })).ProblemAsync(400, "url_not_allowed");
        Assert.Empty(server.Hits);
    }

    [Fact]
    public async Task Another_tenants_tools_and_executions_look_exactly_like_missing_ones()
    {
        var tool = await Http.CreateToolAsync(new { name = Api.UniqueName("mine"), kind = "files" });
        using var other = fixture.Grid.Client(await Http.CreateKeyAsync("member", await Http.CreateTenantAsync()));

        await (await other.GetAsync($"/api/tools/{tool}")).ProblemAsync(404, "tool_not_found");
        await (await other.GetAsync($"/api/tools/{tool}/executions")).ProblemAsync(404, "tool_not_found");
        await (await other.PostJsonAsync($"/api/tools/{tool}/invoke", new { input = new { operation = "list_directory" } })).ProblemAsync(404, "tool_not_found");
        await (await other.DeleteAsync($"/api/tools/{tool}")).ProblemAsync(404, "tool_not_found");
        Assert.Empty((await other.GetFromJsonNodeAsync("/api/tools"))["tools"]!.AsArray());
    }

    [Fact]
    public async Task Bad_definitions_duplicate_names_and_a_spent_rate_limit_get_their_codes()
    {
        var name = Api.UniqueName("dup");
        var limited = await Http.CreateToolAsync(new { name, kind = "files", rateLimitPerMinute = 1 });

        await (await Http.PostJsonAsync("/api/tools", new { name, kind = "files" })).ProblemAsync(409, "tool_name_conflict", "name");
        await (await Http.PostJsonAsync("/api/tools", new { name = "bad name!", kind = "files" })).ProblemAsync(400, "validation_failed", "name");
        await (await Http.PostJsonAsync("/api/tools", new { name = Api.UniqueName("m"), kind = "mcp" })).ProblemAsync(400, "validation_failed", "kind");
        await (await Http.PostJsonAsync("/api/tools", new { name = Api.UniqueName("h"), kind = "http", url = "ftp://example.com/" })).ProblemAsync(400, "validation_failed", "url");
        await (await Http.PostJsonAsync("/api/tools", new { name = Api.UniqueName("s"), kind = "files", inputSchema = new { type = 12 } })).ProblemAsync(400, "validation_failed", "inputSchema");
        await Http.InvokeAsync(limited, new { operation = "list_directory" });
        await (await Http.PostJsonAsync($"/api/tools/{limited}/invoke", new { input = new { operation = "list_directory" } })).ProblemAsync(429, "rate_limited");
    }
}
