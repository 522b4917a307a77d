using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Tools;

/// <summary>What a tool does when it runs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToolKind>))]
public enum ToolKind
{
    /// <summary>Sends its JSON input to a URL (through the SSRF guard) and returns the response.</summary>
    [JsonStringEnumMemberName("http")] Http,

    /// <summary>A tool of an attached MCP server.</summary>
    [JsonStringEnumMemberName("mcp")] Mcp,

    /// <summary>Files in the tenant's sandbox folder.</summary>
    [JsonStringEnumMemberName("files")] Files,

    /// <summary>Queries on the tenant's SQLite database; read-only unless created writable.</summary>
    [JsonStringEnumMemberName("sqlite")] Sqlite,

    /// <summary>Searches the tenant's knowledge bases.</summary>
    [JsonStringEnumMemberName("knowledge_search")] KnowledgeSearch,

    /// <summary>Fetches a web page (through the SSRF guard) as text.</summary>
    [JsonStringEnumMemberName("http_fetch")] HttpFetch,
}

/// <summary>How one execution of a tool ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToolExecutionStatus>))]
public enum ToolExecutionStatus
{
    [JsonStringEnumMemberName("success")] Success,
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("timeout")] Timeout,
    [JsonStringEnumMemberName("denied")] Denied,
}
