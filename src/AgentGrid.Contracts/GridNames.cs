namespace AgentGrid.Contracts;

/// <summary>Names shared by every process of the grid: storage providers and tenants.</summary>
public static class GridNames
{
    /// <summary>The grain storage provider that holds agents, sessions and indexes.</summary>
    public const string StateStore = "agentgrid";

    /// <summary>The Orleans stream provider that carries the grid's events.</summary>
    public const string StreamProvider = "agentgrid-events";

    /// <summary>Stream namespace of session events; the stream key is the session's grain key.</summary>
    public const string SessionStreamNamespace = "sessions";

    /// <summary>The tenant every request runs as until authentication arrives.</summary>
    public const string DefaultTenant = "default";
}
