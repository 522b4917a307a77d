using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools;

/// <summary>MCP servers that run as processes come only from the operator's configuration; tenants attach them by name.</summary>
public sealed class StdioMcpServerTests
{
    [Fact]
    public async Task A_configured_stdio_server_is_attached_by_name_and_its_tool_serves_an_agent()
    {
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["AgentGrid:Mcp:Stdio:Servers:tally:Command"] = "node",
            ["AgentGrid:Mcp:Stdio:Servers:tally:Arguments:0"] = NodeScripts.PathOf("stdio-mcp-server.mjs"),
            ["AgentGrid:Mcp:Stdio:Servers:tally:Environment:TALLY_LABEL"] = "from-operator",
            ["AgentGrid:Mcp:Stdio:Servers:tally:Tenants:0"] = "default",
        });

        var attached = await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).JsonAsync(HttpStatusCode.Created);
        var toolId = attached["tools"]![0].Value<string>("toolId");
        var invoked = await grid.Http.InvokeAsync(toolId, new { text = "one two three" });
        var agent = await grid.Http.CreateAgentAsync(new { name = "counter", mcpServers = new[] { attached.Value<string>("id") } });
        var session = await grid.Http.OpenSessionAsync(agent);
        var turn = await (await grid.Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = """Count with local_tally {"text":"a b c d"}""" }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal("local_tally", attached["tools"]![0].Value<string>("name"));
        Assert.Equal((3, "from-operator"), (invoked["output"]!.Value<int>("words"), invoked["output"]!.Value<string>("label")));
        Assert.Contains("\"words\":4", turn["reply"]!.Value<string>("content"));

        // Only names the operator configured, only for the tenants it names, never a command from the API.
        await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "nope", url = "stdio:missing" })).ProblemAsync(400, "validation_failed", "url");
        await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "shell", url = "stdio:/bin/sh" })).ProblemAsync(400, "validation_failed", "url");
        using var other = grid.Client(await grid.Http.CreateKeyAsync("member", await grid.Http.CreateTenantAsync()));
        await (await other.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).ProblemAsync(400, "validation_failed", "url");
    }
}
