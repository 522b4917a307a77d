using System.Text.RegularExpressions;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// An attached MCP server: its address and credentials, and the tools it registered for the tenant, kept in step with
/// the server's list on attach and refresh. Its headers are stored sealed (<see cref="Secrets.StateSecrets"/>), held in
/// clear only in memory, and never shown (names only) or logged; headers stored in clear before are sealed when it wakes.
/// </summary>
public sealed partial class McpServerGrain(
    [PersistentState("mcp-server", GridNames.StateStore)] IPersistentState<McpServerState> state,
    McpConnection mcp,
    Microsoft.Extensions.Options.IOptionsMonitor<McpStdioOptions> stdio,
    Secrets.StateSecrets secrets,
    TimeProvider time,
    ILogger<McpServerGrain> logger) : Grain, IMcpServerGrain
{
    public const int MaxHeaders = 20;

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private IReadOnlyDictionary<string, string> _headers = NoHeaders;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Definition is not { } stored)
        {
            return;
        }

        if (stored.Headers.Count > 0)
        {
            // Stored in clear by an earlier version: sealed now, before anything else reads the state.
            Seal(stored.Headers);
            await this.WriteOrDeactivateAsync(state);
            logger.LogInformation("MCP server {Server}: its {Count} headers are now stored encrypted", this.GetPrimaryKeyString(), stored.Headers.Count);
        }
        else if (state.State.SealedHeaders is { } sealedHeaders)
        {
            _headers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(secrets.Open(sealedHeaders, this.GetPrimaryKeyString()))!;
        }
    }

    /// <summary>Keeps the headers in memory, sealed in state, and out of the stored definition.</summary>
    private void Seal(IReadOnlyDictionary<string, string> headers)
    {
        _headers = headers;
        state.State.SealedHeaders = headers.Count == 0 ? null : secrets.Seal(System.Text.Json.JsonSerializer.Serialize(headers), this.GetPrimaryKeyString());
        state.State.Definition = state.State.Definition! with { Headers = NoHeaders };
    }

    public async Task<McpServer> AttachAsync(McpServerDefinition definition)
    {
        if (state.State.Definition is not null)
        {
            throw AgentGridException.Validation("id", $"MCP server '{Key.Id}' is already attached.");
        }

        Validate(definition);
        var index = GrainFactory.GetGrain<IMcpServerIndexGrain>(Key.Tenant);
        // Listed first: the index enforces the tenant's cap before any tool is registered.
        await index.AddAsync(Key.Id);
        state.State.Definition = definition;
        Seal(definition.Headers);
        try
        {
            // Each tool counts against the tenant's tool cap; one past it fails the attach here.
            await SyncToolsAsync();
            await this.WriteOrDeactivateAsync(state);
        }
        catch
        {
            // Nothing of a failed attach stays: the tools it had registered go again, and so does its listing.
            foreach (var toolId in state.State.Tools.Values)
            {
                await ForgetToolAsync(toolId);
            }

            state.State = new McpServerState();
            _headers = NoHeaders;
            await BestEffort.UndoAsync(index.RemoveAsync(Key.Id), logger, this.GetPrimaryKeyString());
            throw;
        }

        logger.LogInformation("MCP server {Server} attached with {Tools} tools", this.GetPrimaryKeyString(), state.State.Tools.Count);
        return Snapshot();
    }

    public Task<McpServer> GetAsync() => Task.FromResult(Snapshot());

    public async Task<McpServer> RefreshAsync()
    {
        _ = Definition;
        try
        {
            await SyncToolsAsync();
        }
        catch (AgentGridException e)
        {
            (state.State.Healthy, state.State.LastError) = (false, $"{e.Code}: {e.Message}");
        }

        state.State.RefreshedAt = time.GetUtcNow();
        await this.WriteOrDeactivateAsync(state);
        return Snapshot();
    }

    public async Task DeleteAsync()
    {
        _ = Definition;
        foreach (var toolId in state.State.Tools.Values)
        {
            await ForgetToolAsync(toolId);
        }

        await GrainFactory.GetGrain<IMcpServerIndexGrain>(Key.Tenant).RemoveAsync(Key.Id);
        await state.ClearStateAsync();
        _headers = NoHeaders;
        DeactivateOnIdle();
    }

    public Task<string> CallAsync(string remoteName, string arguments) => mcp.CallAsync(Definition, Key.Tenant, remoteName, arguments, CancellationToken.None);

    /// <summary>Registers each of the server's tools as a tool of the tenant; removes the ones it no longer has.</summary>
    private async Task SyncToolsAsync()
    {
        var definition = Definition;
        var remote = await mcp.ListToolsAsync(definition, Key.Tenant, CancellationToken.None);
        var clash = remote.GroupBy(t => ToolName(definition.Name, t.Name)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new AgentGridException(ErrorCodes.ToolFailed, $"The server's tools {string.Join(", ", clash.Select(t => t.Name))} would share the name '{clash.Key}'.");
        }

        foreach (var tool in remote)
        {
            var wanted = new ToolDefinition
            {
                Name = ToolName(definition.Name, tool.Name), Kind = ToolKind.Mcp, InputSchema = tool.InputSchema, McpServerId = Key.Id, RemoteName = tool.Name,
                Description = tool.Description is { Length: > 2000 } text ? text[..2000] : tool.Description,
            };
            if (state.State.Tools.TryGetValue(tool.Name, out var toolId) && await ExistsAsync(toolId))
            {
                await Tool(toolId).UpdateAsync(wanted);
            }
            else
            {
                toolId = GrainKeys.NewId("tool");
                await Tool(toolId).CreateAsync(wanted);
                state.State.Tools[tool.Name] = toolId;
            }
        }

        foreach (var gone in state.State.Tools.Keys.Except(remote.Select(t => t.Name)).ToList())
        {
            await ForgetToolAsync(state.State.Tools[gone]);
            state.State.Tools.Remove(gone);
        }

        (state.State.Healthy, state.State.LastError, state.State.RefreshedAt) = (true, null, time.GetUtcNow());
    }

    private async Task<bool> ExistsAsync(string toolId)
    {
        try
        {
            await Tool(toolId).GetAsync();
            return true;
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes one of its tools; one already gone is fine.</summary>
    private async Task ForgetToolAsync(string toolId)
    {
        try
        {
            await Tool(toolId).DeleteAsync(Key.Id);
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
        {
        }
    }

    /// <summary>The definition with its headers in clear, as calls to the server need it.</summary>
    private McpServerDefinition Definition =>
        state.State.Definition is { } stored ? stored with { Headers = _headers }
            : throw new AgentGridException(ErrorCodes.McpServerNotFound, $"MCP server '{Key.Id}' was not found.");

    private IToolGrain Tool(string toolId) => GrainFactory.GetGrain<IToolGrain>(GrainKeys.For(Key.Tenant, toolId));

    private McpServer Snapshot()
    {
        var definition = Definition;
        return new McpServer
        {
            Id = Key.Id, Name = definition.Name, Url = definition.Url, HeaderNames = [.. definition.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase)],
            Tools = [.. state.State.Tools.Select(t => new McpServerTool(t.Value, ToolName(definition.Name, t.Key), t.Key)).OrderBy(t => t.Name, StringComparer.Ordinal)],
            Healthy = state.State.Healthy, LastError = state.State.LastError, RefreshedAt = state.State.RefreshedAt,
        };
    }

    /// <summary>The tenant-wide name of a server's tool: the server's name, '_', the tool's, cut to 64 valid characters.</summary>
    public static string ToolName(string server, string remote)
    {
        var name = InvalidName().Replace($"{server}_{remote}", "_");
        return name.Length <= 64 ? name : name[..64];
    }

    private void Validate(McpServerDefinition definition)
    {
        if (!ServerName().IsMatch(definition.Name ?? ""))
        {
            throw AgentGridException.Validation("name", "name must be 1 to 32 letters, digits, '_' or '-'.");
        }

        if (McpConnection.StdioName(definition.Url) is { } configured)
        {
            if (stdio.CurrentValue.For(configured, Key.Tenant) is null)
            {
                throw AgentGridException.Validation("url", $"'{definition.Url}' names no stdio MCP server this grid's operator configured for this tenant.");
            }

            if (definition.Headers.Count > 0)
            {
                throw AgentGridException.Validation("headers", "A stdio MCP server takes no headers; its operator sets its environment.");
            }
        }
        else if (!Uri.TryCreate(definition.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw AgentGridException.Validation("url", "url must be an absolute http(s) URL without credentials (the server's streamable-HTTP endpoint), or stdio:{name} for a configured stdio server.");
        }

        if (definition.Headers.Count > MaxHeaders)
        {
            throw AgentGridException.Validation("headers", $"At most {MaxHeaders} headers.");
        }

        foreach (var (header, value) in definition.Headers)
        {
            if (!HeaderName().IsMatch(header) || value is null || value.Length > 4096 || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                throw AgentGridException.Validation("headers", "Header names are HTTP tokens; values at most 4096 characters, on one line.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex ServerName();

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex InvalidName();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$")]
    private static partial Regex HeaderName();
}

public sealed class McpServerState
{
    /// <summary>Its name and address; its headers are never stored here (see <see cref="SealedHeaders"/>).</summary>
    public McpServerDefinition? Definition { get; set; }

    /// <summary>Its headers (names and values, as JSON) sealed by <see cref="Secrets.StateSecrets"/>; null when it has none.</summary>
    public string? SealedHeaders { get; set; }

    /// <summary>The server's tool names and the tools they became.</summary>
    public Dictionary<string, string> Tools { get; set; } = new(StringComparer.Ordinal);

    public bool Healthy { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? RefreshedAt { get; set; }
}
