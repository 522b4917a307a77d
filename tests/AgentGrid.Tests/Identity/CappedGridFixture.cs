using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>An embedded grid with small per-tenant caps and the stdio MCP server <c>tally</c> (two tools) for every tenant.</summary>
public sealed class CappedGridFixture : IAsyncLifetime
{
    public const int KnowledgeBases = 2;
    public const int Tools = 3;
    public const int Agents = 2;
    public const int AgentVersions = 2;
    public const int Workflows = 2;
    public const int McpServers = 1;

    private readonly TempDirectory _data = new();

    public EmbeddedGrid Grid { get; private set; } = null!;

    public async Task InitializeAsync() => Grid = await EmbeddedGrid.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["AgentGrid:TenantCaps:KnowledgeBases"] = KnowledgeBases.ToString(),
        ["AgentGrid:TenantCaps:Tools"] = Tools.ToString(),
        ["AgentGrid:TenantCaps:Agents"] = Agents.ToString(),
        ["AgentGrid:TenantCaps:AgentVersions"] = AgentVersions.ToString(),
        ["AgentGrid:TenantCaps:Workflows"] = Workflows.ToString(),
        ["AgentGrid:TenantCaps:McpServers"] = McpServers.ToString(),
        ["AgentGrid:Mcp:Stdio:WorkRoot"] = Path.Combine(_data.Path, "mcp"),
        ["AgentGrid:Mcp:Stdio:Servers:tally:Command"] = "node",
        ["AgentGrid:Mcp:Stdio:Servers:tally:Arguments:0"] = NodeScripts.PathOf("stdio-mcp-server.mjs"),
        ["AgentGrid:Mcp:Stdio:Servers:tally:Tenants:0"] = "*",
    });

    /// <summary>A member of a tenant of its own, so each test starts from zero of everything.</summary>
    public async Task<HttpClient> NewTenantMemberAsync() =>
        Grid.Client(await Grid.Http.CreateKeyAsync("member", await Grid.Http.CreateTenantAsync()));

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        _data.Dispose();
    }
}
