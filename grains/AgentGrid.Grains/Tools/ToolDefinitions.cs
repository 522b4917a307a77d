using System.Text.RegularExpressions;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;

namespace AgentGrid.Grains.Tools;

/// <summary>What a tool definition must be; the first problem is reported with its field.</summary>
public static partial class ToolDefinitions
{
    public const int DefaultTimeoutMs = 10_000;

    public static ToolDefinition Validate(ToolDefinition definition)
    {
        var name = definition.Name?.Trim() ?? "";
        Require(NamePattern().IsMatch(name), "name", "name must be 1 to 64 letters, digits, '_' or '-' (the name a model calls it by).");
        Require((definition.Description?.Length ?? 0) <= 2000, "description", "description must be at most 2000 characters.");
        Require(Enum.IsDefined(definition.Kind), "kind", "kind must be http, files, sqlite, knowledge_search or http_fetch.");
        Require(definition.Kind != ToolKind.Mcp || (definition.McpServerId is not null && definition.RemoteName is not null),
            "kind", "mcp tools come from an attached MCP server (POST /api/mcp-servers); they cannot be created one by one.");
        Require(definition.TimeoutMs is null or (>= 100 and <= 120_000), "timeoutMs", "timeoutMs must be between 100 and 120000.");
        Require(definition.RateLimitPerMinute is null or (>= 1 and <= 100_000), "rateLimitPerMinute", "rateLimitPerMinute must be between 1 and 100000.");
        if (definition.Kind == ToolKind.Http)
        {
            Require(Uri.TryCreate(definition.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && string.IsNullOrEmpty(url.UserInfo),
                "url", "url must be an absolute http(s) URL without credentials.");
            Require(definition.Method is null or "GET" or "POST" or "PUT", "method", "method must be GET, POST or PUT.");
        }
        else
        {
            Require(definition.Url is null, "url", "url is only for http tools.");
        }

        Require(definition.KnowledgeBaseId is null || (definition.Kind == ToolKind.KnowledgeSearch && GrainKeys.IsValidId(definition.KnowledgeBaseId)),
            "knowledgeBaseId", "knowledgeBaseId is a knowledge base id, for knowledge_search tools only.");
        Require(!definition.Writable || definition.Kind == ToolKind.Sqlite, "writable", "writable is for sqlite tools only.");
        var input = definition.InputSchema ?? ToolSchemas.DefaultInput(definition.Kind);
        ToolSchemas.Parse(input, "inputSchema");
        if (definition.OutputSchema is { } output)
        {
            ToolSchemas.Parse(output, "outputSchema");
        }

        return definition with { Name = name, InputSchema = input, Method = definition.Kind == ToolKind.Http ? definition.Method ?? "POST" : null };
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw AgentGridException.Validation(field, message);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
