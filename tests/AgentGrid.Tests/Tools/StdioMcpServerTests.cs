using System.Net;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
        var toolId = ToolId(attached, "local_tally");
        var invoked = await grid.Http.InvokeAsync(toolId, new { text = "one two three" });
        var agent = await grid.Http.CreateAgentAsync(new { name = "counter", mcpServers = new[] { attached.Value<string>("id") } });
        var session = await grid.Http.OpenSessionAsync(agent);
        var turn = await (await grid.Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = """Count with local_tally {"text":"a b c d"}""" }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["local_environment", "local_tally"], attached["tools"]!.AsArray().Select(t => t.Value<string>("name")));
        Assert.Equal((3, "from-operator"), (invoked["output"]!.Value<int>("words"), invoked["output"]!.Value<string>("label")));
        Assert.Contains("\"words\":4", turn["reply"]!.Value<string>("content"));

        // Only names the operator configured, only for the tenants it names, never a command from the API.
        await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "nope", url = "stdio:missing" })).ProblemAsync(400, "validation_failed", "url");
        await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "shell", url = "stdio:/bin/sh" })).ProblemAsync(400, "validation_failed", "url");
        using var other = grid.Client(await grid.Http.CreateKeyAsync("member", await grid.Http.CreateTenantAsync()));
        await (await other.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).ProblemAsync(400, "validation_failed", "url");
    }

    [Fact]
    public async Task A_stdio_server_gets_none_of_the_silos_environment_and_runs_in_a_folder_of_its_own()
    {
        using var data = new TempDirectory();
        var secret = "agentgrid-secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("AGENTGRID_STDIO_TEST_SECRET", secret);
        await using var grid = await StartAsync(data.Path, "*");

        var attached = await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).JsonAsync(HttpStatusCode.Created);
        var reported = (await grid.Http.InvokeAsync(ToolId(attached, "local_environment"), new { }))["output"]!;
        var variables = reported["variables"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<string>());

        Assert.Subset(new HashSet<string> { "PATH", "LANG", "HOME", "TALLY_LABEL" }, variables.Keys.ToHashSet());
        Assert.DoesNotContain(variables.Values, v => v.Contains(secret) || v.Contains(grid.AdminKey));
        Assert.Equal(Path.Combine(data.Path, "mcp", "tally"), reported.Value<string>("folder"));
        Assert.Equal(reported.Value<string>("folder"), variables["HOME"]);
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(variables["HOME"]) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), "the folder is mode 0700");
    }

    [Fact]
    public async Task A_tenant_taken_off_the_servers_list_is_refused_on_its_next_call()
    {
        using var data = new TempDirectory();
        await using var grid = await StartAsync(data.Path, "default");
        var attached = await (await grid.Http.PostJsonAsync("/api/mcp-servers", new { name = "local", url = "stdio:tally" })).JsonAsync(HttpStatusCode.Created);
        var toolId = ToolId(attached, "local_tally");
        Assert.Equal(2, (await grid.Http.InvokeAsync(toolId, new { text = "still allowed" }))["output"]!.Value<int>("words"));

        var configuration = (IConfigurationRoot)grid.Services.GetRequiredService<IConfiguration>();
        configuration["AgentGrid:Mcp:Stdio:Servers:tally:Tenants:0"] = "another-tenant";
        configuration.Reload();

        var refused = await grid.Http.InvokeAsync(toolId, new { text = "no longer" });

        Assert.Equal(("error", "tool_disabled"), (refused.Value<string>("status"), refused.Value<string>("errorCode")));
        Assert.Null(refused["output"]);
    }

    private static Task<EmbeddedGrid> StartAsync(string data, string tenant) => EmbeddedGrid.StartAsync(data, new Dictionary<string, string?>
    {
        ["AgentGrid:Mcp:Stdio:WorkRoot"] = Path.Combine(data, "mcp"),
        ["AgentGrid:Mcp:Stdio:Servers:tally:Command"] = "node",
        ["AgentGrid:Mcp:Stdio:Servers:tally:Arguments:0"] = NodeScripts.PathOf("stdio-mcp-server.mjs"),
        ["AgentGrid:Mcp:Stdio:Servers:tally:Environment:TALLY_LABEL"] = "from-operator",
        ["AgentGrid:Mcp:Stdio:Servers:tally:Tenants:0"] = tenant,
    });

    private static string ToolId(System.Text.Json.Nodes.JsonNode attached, string name) =>
        attached["tools"]!.AsArray().Single(t => t.Value<string>("name") == name)!.Value<string>("toolId");
}
