using AgentGrid.Grains.Tools.Mcp;

namespace AgentGrid.Tests.Tools;

/// <summary>The operator's stdio MCP configuration: tenant lists are explicit, and processes are capped.</summary>
public sealed class StdioMcpLimitsTests
{
    [Fact]
    public void A_server_without_a_tenant_list_stops_the_start_with_an_error_naming_it()
    {
        var options = new McpStdioOptions { Servers = { ["search"] = new McpStdioServer { Command = "node" } } };

        var result = new McpStdioOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Servers:search:Tenants is required") && f.Contains("[\"*\"]"));
    }

    [Fact]
    public void Star_means_every_tenant_and_a_list_means_exactly_its_tenants()
    {
        var options = new McpStdioOptions
        {
            Servers =
            {
                ["all"] = new McpStdioServer { Command = "node", Tenants = ["*"] },
                ["some"] = new McpStdioServer { Command = "node", Tenants = ["acme"] },
            },
        };

        Assert.NotNull(options.For("all", "anyone"));
        Assert.NotNull(options.For("some", "acme"));
        Assert.Null(options.For("some", "globex"));
        Assert.Null(options.For("missing", "acme"));
    }

    [Fact]
    public async Task A_tenant_over_its_process_cap_waits_while_another_tenant_goes_ahead()
    {
        var slots = new StdioProcessSlots();
        var server = new McpStdioServer { Command = "node", Tenants = ["*"], MaxProcesses = 2, MaxProcessesPerTenant = 1 };

        var first = await slots.EnterAsync("search", "acme", server, CancellationToken.None);
        var second = slots.EnterAsync("search", "acme", server, CancellationToken.None);
        var other = await slots.EnterAsync("search", "globex", server, CancellationToken.None);
        var third = slots.EnterAsync("search", "initech", server, CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        await first.DisposeAsync();
        await other.DisposeAsync();
        await (await second.WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();
        await (await third.WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();
    }
}
