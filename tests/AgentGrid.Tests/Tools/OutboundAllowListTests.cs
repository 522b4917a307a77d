using System.Net.Http.Json;
using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools;

/// <summary>An operator's allow-list lets tools reach a network the SSRF guard otherwise refuses.</summary>
public sealed class OutboundAllowListTests
{
    [Fact]
    public async Task Allow_listed_loopback_is_reached_by_http_and_http_fetch_tools()
    {
        await using var server = await RecordingWebServer.StartAsync();
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?> { ["AgentGrid:Outbound:AllowedNetworks:0"] = "127.0.0.1/32" });
        var http = await grid.Http.CreateToolAsync(new { name = "echo", kind = "http", url = new Uri(server.Address, "echo").ToString() });
        var fetch = await grid.Http.CreateToolAsync(new { name = "fetch", kind = "http_fetch" });

        var posted = await grid.Http.InvokeAsync(http, new { hello = "world" });
        var fetched = await grid.Http.InvokeAsync(fetch, new { url = new Uri(server.Address, "page").ToString() });

        Assert.Equal("world", posted["output"]!.Value<string>("hello"));
        Assert.Contains("High tide is at six.", fetched["output"]!.Value<string>("text"));
        Assert.DoesNotContain("x()", fetched["output"]!.Value<string>("text"));
        Assert.Equal(["POST /echo", "GET /page"], server.Hits);
    }

    [Fact]
    public async Task An_attached_mcp_server_lends_its_tools_to_the_tenant_and_its_credentials_stay_hidden()
    {
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?> { ["AgentGrid:Outbound:AllowedNetworks:0"] = "127.0.0.1/32" });
        await grid.Http.CreateAgentAsync(new { name = "helper" });
        var serverUrl = new Uri(grid.Address, "mcp").ToString().Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        // AgentGrid's own MCP server is a real streamable-HTTP MCP server to attach.
        var attached = await (await grid.Http.PostJsonAsync("/api/mcp-servers",
            new { name = "self", url = serverUrl, headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {grid.AdminKey}" } })).JsonAsync(HttpStatusCode.Created);
        var tools = attached["tools"]!.AsArray();
        var listAgents = tools.Single(t => t.Value<string>("remoteName") == "list_agents").Value<string>("toolId");
        var called = await grid.Http.InvokeAsync(listAgents, new { });
        var shown = await grid.Http.GetStringAsync($"/api/mcp-servers/{attached.Value<string>("id")}");

        Assert.Equal(["self_list_agents", "self_search_knowledge_base", "self_send_message"], tools.Select(t => t.Value<string>("name")).Order());
        Assert.Equal("success", called.Value<string>("status"));
        Assert.Contains(called["output"]!.AsArray(), a => a.Value<string>("name") == "helper");
        Assert.Equal(["Authorization"], attached["headerNames"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.DoesNotContain(grid.AdminKey, shown);
        Assert.Equal("mcp", (await grid.Http.GetFromJsonNodeAsync($"/api/tools/{listAgents}")).Value<string>("kind"));

        // Another tenant's view: the server and its tools do not exist.
        using var other = grid.Client(await grid.Http.CreateKeyAsync("member", await grid.Http.CreateTenantAsync()));
        var serverId = attached.Value<string>("id");
        await (await other.GetAsync($"/api/mcp-servers/{serverId}")).ProblemAsync(404, "mcp_server_not_found");
        await (await other.PostAsync($"/api/mcp-servers/{serverId}/refresh", null)).ProblemAsync(404, "mcp_server_not_found");
        await (await other.DeleteAsync($"/api/mcp-servers/{serverId}")).ProblemAsync(404, "mcp_server_not_found");
        await (await other.PostJsonAsync($"/api/tools/{listAgents}/invoke", new { input = new { } })).ProblemAsync(404, "tool_not_found");

        // Its tools change only through the server.
        await (await grid.Http.DeleteAsync($"/api/tools/{listAgents}")).ProblemAsync(400, "validation_failed", "kind");
        await (await grid.Http.PutAsJsonAsync($"/api/tools/{listAgents}", new { name = "hijack", kind = "http", url = "http://example.com/" })).ProblemAsync(400, "validation_failed", "kind");
        Assert.Equal(HttpStatusCode.NoContent, (await grid.Http.DeleteAsync($"/api/mcp-servers/{attached.Value<string>("id")}")).StatusCode);
        await (await grid.Http.GetAsync($"/api/tools/{listAgents}")).ProblemAsync(404, "tool_not_found");
    }
}
