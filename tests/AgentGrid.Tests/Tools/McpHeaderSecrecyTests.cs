using System.Net;
using System.Text;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentGrid.Tests.Tools;

/// <summary>
/// An MCP server's headers are stored encrypted; the server still gets them, after a restart too. The MCP server is
/// another grid's <c>/mcp</c>, which answers only to a key of its own: the header that carries it.
/// </summary>
public sealed class McpHeaderSecrecyTests : IAsyncLifetime
{
    private readonly TempDirectory _serverData = new();
    private EmbeddedGrid _server = null!;

    public async Task InitializeAsync() => _server = await EmbeddedGrid.StartAsync(_serverData.Path);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _serverData.Dispose();
    }

    private static readonly Dictionary<string, string?> LoopbackAllowed = new() { ["AgentGrid:Outbound:AllowedNetworks:0"] = "127.0.0.1/32" };

    [Fact]
    public async Task The_stored_state_holds_no_header_value_and_the_server_still_receives_it_after_a_restart()
    {
        using var data = new TempDirectory();
        string secret, listAgents;
        await using (var grid = await EmbeddedGrid.StartAsync(data.Path, LoopbackAllowed))
        {
            secret = await _server.Http.CreateKeyAsync("member");
            listAgents = await AttachSelfAsync(grid, secret);

            Assert.Equal("success", (await grid.Http.InvokeAsync(listAgents, new { })).Value<string>("status"));
            Assert.DoesNotContain(secret, await grid.Http.GetStringAsync("/api/mcp-servers"));
        }

        Assert.False(FilesContain(data.Path, secret), "a file of the data folder holds the header's value");
        Assert.Contains("v1:", await StoredStateAsync(data.Path));

        await using (var grid = await EmbeddedGrid.StartAsync(data.Path, LoopbackAllowed))
        {
            Assert.Equal("success", (await grid.Http.InvokeAsync(listAgents, new { })).Value<string>("status"));
        }
    }

    [Fact]
    public async Task Headers_stored_in_clear_by_an_earlier_version_are_encrypted_when_the_server_wakes_and_still_sent()
    {
        using var data = new TempDirectory();
        string secret, listAgents;
        await using (var grid = await EmbeddedGrid.StartAsync(data.Path, LoopbackAllowed))
        {
            secret = await _server.Http.CreateKeyAsync("member");
            listAgents = await AttachSelfAsync(grid, secret);
        }

        // As an earlier version stored it: the headers in the definition, nothing sealed.
        await ExecuteAsync(data.Path, "UPDATE grain_state SET payload = json_set(json_set(payload, '$.definition.headers', json($headers)), '$.sealedHeaders', NULL) WHERE state_name = 'mcp-server'",
            ("$headers", $$"""{"Authorization":"Bearer {{secret}}"}"""));
        Assert.Contains(secret, await StoredStateAsync(data.Path));

        await using (var grid = await EmbeddedGrid.StartAsync(data.Path, LoopbackAllowed))
        {
            Assert.Equal("success", (await grid.Http.InvokeAsync(listAgents, new { })).Value<string>("status"));
        }

        var stored = await StoredStateAsync(data.Path);
        Assert.DoesNotContain(secret, stored);
        Assert.Contains("v1:", stored);
    }

    /// <summary>The other grid's MCP server, attached with its key as the Authorization header; the id of its list_agents tool.</summary>
    private async Task<string> AttachSelfAsync(EmbeddedGrid grid, string key)
    {
        var url = new Uri(_server.Address, "mcp").ToString().Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        var attached = await (await grid.Http.PostJsonAsync("/api/mcp-servers",
            new { name = "self", url, headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" } })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(["Authorization"], attached["headerNames"]!.AsArray().Select(h => h!.GetValue<string>()));
        return attached["tools"]!.AsArray().Single(t => t.Value<string>("remoteName") == "list_agents").Value<string>("toolId");
    }

    private static bool FilesContain(string folder, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Any(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0);
    }

    private static async Task<string> StoredStateAsync(string folder)
    {
        await using var connection = await OpenAsync(folder);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT payload FROM grain_state WHERE state_name = 'mcp-server'";
        return (string)(await query.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string folder, string sql, params (string Name, string Value)[] parameters)
    {
        await using var connection = await OpenAsync(folder);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        parameters.ToList().ForEach(p => command.Parameters.AddWithValue(p.Name, p.Value));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<SqliteConnection> OpenAsync(string folder)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "agentgrid.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
