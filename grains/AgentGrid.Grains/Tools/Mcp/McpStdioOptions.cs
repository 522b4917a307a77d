using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// MCP servers that run as local processes (stdio), bound from <c>AgentGrid:Mcp:Stdio</c>. Only an operator configures
/// them; a tenant attaches one by its name with the URL <c>stdio:{name}</c>, never by a command of its own.
/// </summary>
public sealed partial class McpStdioOptions
{
    public const string SectionName = "AgentGrid:Mcp:Stdio";

    /// <summary>The servers by name. Default: none.</summary>
    public Dictionary<string, McpStdioServer> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The configured server <paramref name="name"/> if <paramref name="tenant"/> may attach it.</summary>
    public McpStdioServer? For(string name, string tenant) =>
        Servers.TryGetValue(name, out var server) && (server.Tenants.Count == 0 || server.Tenants.Contains(tenant)) ? server : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    internal static partial Regex Name();
}

/// <summary>One stdio MCP server: the command the silo starts for each use, with its arguments and environment.</summary>
public sealed class McpStdioServer
{
    public string Command { get; set; } = "";
    public List<string> Arguments { get; set; } = [];

    /// <summary>Variables set for the process (its credentials, say); never shown, never logged.</summary>
    public Dictionary<string, string?> Environment { get; set; } = [];
    public string? WorkingDirectory { get; set; }

    /// <summary>The tenants that may attach it. Default (empty): every tenant.</summary>
    public List<string> Tenants { get; set; } = [];
}

public sealed class McpStdioOptionsValidator : IValidateOptions<McpStdioOptions>
{
    public ValidateOptionsResult Validate(string? name, McpStdioOptions options)
    {
        var failures = new List<string>();
        foreach (var (server, settings) in options.Servers)
        {
            if (!McpStdioOptions.Name().IsMatch(server))
            {
                failures.Add($"{McpStdioOptions.SectionName}:Servers:{server}: a name is 1 to 32 letters, digits, '_' or '-'.");
            }

            if (string.IsNullOrWhiteSpace(settings.Command))
            {
                failures.Add($"{McpStdioOptions.SectionName}:Servers:{server}:Command is required.");
            }

            if (settings.WorkingDirectory is { } folder && !Path.IsPathFullyQualified(folder))
            {
                failures.Add($"{McpStdioOptions.SectionName}:Servers:{server}:WorkingDirectory must be an absolute path.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
