using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// MCP servers that run as local processes (stdio), bound from <c>AgentGrid:Mcp:Stdio</c>. Only an operator configures
/// them; a tenant attaches one by its name with the URL <c>stdio:{name}</c>, never by a command of its own. Each runs
/// with an environment of its own (never the silo's), in a folder of its own, at most so many at once.
/// </summary>
public sealed partial class McpStdioOptions
{
    public const string SectionName = "AgentGrid:Mcp:Stdio";

    /// <summary>What <see cref="McpStdioServer.Tenants"/> holds for a server every tenant may use.</summary>
    public const string EveryTenant = "*";

    /// <summary>The servers by name. Default: none.</summary>
    public Dictionary<string, McpStdioServer> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Where each server without a <see cref="McpStdioServer.WorkingDirectory"/> gets a folder of its own (mode 0700),
    /// which is also its <c>HOME</c>. Default: <c>agentgrid-mcp</c> in the temp folder.
    /// </summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "agentgrid-mcp");

    /// <summary>The configured server <paramref name="name"/> if <paramref name="tenant"/> may use it.</summary>
    public McpStdioServer? For(string name, string tenant) =>
        Servers.TryGetValue(name, out var server) && (server.Tenants.Contains(EveryTenant) || server.Tenants.Contains(tenant)) ? server : null;

    /// <summary>The folder server <paramref name="name"/> runs in.</summary>
    public string FolderOf(string name, McpStdioServer server) => server.WorkingDirectory ?? Path.Combine(WorkRoot, name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    internal static partial Regex Name();
}

/// <summary>One stdio MCP server: the command the silo starts for each use, with its arguments and environment.</summary>
public sealed class McpStdioServer
{
    public string Command { get; set; } = "";
    public List<string> Arguments { get; set; } = [];

    /// <summary>
    /// Variables set for the process (its credentials, say); never shown, never logged. Besides these it gets only
    /// <c>PATH</c> and <c>LANG</c> of the silo's and <c>HOME</c> set to its folder.
    /// </summary>
    public Dictionary<string, string?> Environment { get; set; } = [];

    /// <summary>The folder it runs in. Default: its own under <see cref="McpStdioOptions.WorkRoot"/>.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The tenants that may attach and call it; required: <c>["*"]</c> for every tenant, explicitly.</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>Its processes running at once, all tenants together; more calls wait. Default: 8.</summary>
    public int MaxProcesses { get; set; } = 8;

    /// <summary>Its processes running at once for one tenant; more calls wait. Default: 2.</summary>
    public int MaxProcessesPerTenant { get; set; } = 2;
}

public sealed class McpStdioOptionsValidator : IValidateOptions<McpStdioOptions>
{
    public ValidateOptionsResult Validate(string? name, McpStdioOptions options)
    {
        var failures = new List<string>();
        if (!Path.IsPathFullyQualified(options.WorkRoot))
        {
            failures.Add($"{McpStdioOptions.SectionName}:WorkRoot must be an absolute path.");
        }

        foreach (var (server, settings) in options.Servers)
        {
            var at = $"{McpStdioOptions.SectionName}:Servers:{server}";
            if (!McpStdioOptions.Name().IsMatch(server))
            {
                failures.Add($"{at}: a name is 1 to 32 letters, digits, '_' or '-'.");
            }

            if (string.IsNullOrWhiteSpace(settings.Command))
            {
                failures.Add($"{at}:Command is required.");
            }

            if (settings.WorkingDirectory is { } folder && !Path.IsPathFullyQualified(folder))
            {
                failures.Add($"{at}:WorkingDirectory must be an absolute path.");
            }

            if (settings.Tenants.Count == 0 || settings.Tenants.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{at}:Tenants is required: list the tenants that may use the stdio MCP server '{server}', or [\"*\"] for every tenant.");
            }

            if (settings.MaxProcesses is < 1 or > 1000 || settings.MaxProcessesPerTenant < 1 || settings.MaxProcessesPerTenant > settings.MaxProcesses)
            {
                failures.Add($"{at}: MaxProcesses must be between 1 and 1000, MaxProcessesPerTenant between 1 and MaxProcesses.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
