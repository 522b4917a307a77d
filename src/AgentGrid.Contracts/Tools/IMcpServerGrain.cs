namespace AgentGrid.Contracts.Tools;

/// <summary>An MCP server a tenant attaches: where it is and the headers (credentials) sent to it.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.mcp-server-definition")]
public sealed record McpServerDefinition
{
    /// <summary>Prefixes its tools' names (<c>{name}_{tool}</c>): letters, digits, '_' or '-', at most 32.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Its streamable-HTTP endpoint; reached through the SSRF guard.</summary>
    [Id(1)] public required string Url { get; init; }

    /// <summary>Sent with every request (e.g. <c>Authorization</c>); kept as secrets: never shown, never logged.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>An attached MCP server as the API shows it: header names only, its tools, its health.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.mcp-server")]
public sealed record McpServer
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Url { get; init; }
    [Id(3)] public IReadOnlyList<string> HeaderNames { get; init; } = [];
    [Id(4)] public IReadOnlyList<McpServerTool> Tools { get; init; } = [];
    [Id(5)] public bool Healthy { get; init; }
    [Id(6)] public string? LastError { get; init; }
    [Id(7)] public DateTimeOffset? RefreshedAt { get; init; }
}

/// <summary>One tool of an attached server and the tool it became.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.mcp-server-tool")]
public sealed record McpServerTool([property: Id(0)] string ToolId, [property: Id(1)] string Name, [property: Id(2)] string RemoteName);

/// <summary>An MCP server attached by a tenant, keyed <c>{tenant}/{serverId}</c>: its tools become the tenant's tools.</summary>
[Alias("agentgrid.IMcpServerGrain")]
public interface IMcpServerGrain : IGrainWithStringKey
{
    /// <summary>Connects, lists its tools and registers each as a tool of kind <c>mcp</c>.</summary>
    [Alias("attach")] Task<McpServer> AttachAsync(McpServerDefinition definition);

    [Alias("get")] Task<McpServer> GetAsync();

    /// <summary>Lists its tools again: new ones are added, changed ones updated, gone ones removed.</summary>
    [Alias("refresh")] Task<McpServer> RefreshAsync();

    /// <summary>Detaches it and deletes its tools.</summary>
    [Alias("delete")] Task DeleteAsync();

    /// <summary>Calls one of its tools with <paramref name="arguments"/> (a JSON object); the result's JSON.</summary>
    [Alias("call")] [Orleans.Concurrency.AlwaysInterleave] Task<string> CallAsync(string remoteName, string arguments);
}

/// <summary>A tenant's attached MCP servers, keyed by the tenant.</summary>
[Alias("agentgrid.IMcpServerIndexGrain")]
public interface IMcpServerIndexGrain : IGrainWithStringKey
{
    [Alias("list")] Task<IReadOnlyList<string>> ListAsync();

    /// <summary>
    /// Lists a new MCP server (before it stores itself, so a refusal leaves nothing); <c>tenant_quota_exceeded</c> when the tenant
    /// already has as many as <c>AgentGrid:TenantCaps:McpServers</c> allows. Adding a listed id again does nothing.
    /// </summary>
    [Alias("add")] Task AddAsync(string serverId);

    [Alias("remove")] Task RemoveAsync(string serverId);
}
