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

    /// <summary>Stream namespace of GPU node capacity changes; one stream, key <see cref="ClusterStreamKey"/>.</summary>
    public const string NodesStreamNamespace = "nodes";

    /// <summary>Stream namespace of worker state changes and scaling decisions; one stream, key <see cref="ClusterStreamKey"/>.</summary>
    public const string WorkersStreamNamespace = "workers";

    /// <summary>Stream namespace of usage records (one per model call); the stream key is the tenant id.</summary>
    public const string UsageStreamNamespace = "usage";

    /// <summary>A knowledge base's document updates (ingestion progress), keyed by the knowledge base's grain key.</summary>
    public const string KnowledgeStreamNamespace = "knowledge";

    /// <summary>
    /// Agent changes: the tenant whose agents (names, definitions) changed, published by its agent index on one stream,
    /// key <see cref="ClusterStreamKey"/>. Front doors drop what they cached for that tenant.
    /// </summary>
    public const string AgentChangesStreamNamespace = "agent-changes";

    /// <summary>Workflow run events: <see cref="Workflows.WorkflowRunEvent"/>, keyed <c>{tenant}/{runId}</c>.</summary>
    public const string WorkflowRunStreamNamespace = "workflow-runs";

    public const string ClusterStreamKey = "cluster";

    /// <summary>Silo metadata key naming the GPU node a silo hosts.</summary>
    public const string GpuNodeMetadataKey = "agentgrid.gpu-node";

    /// <summary>The tenant of the bootstrap admin key, and of everything made before tenants existed.</summary>
    public const string DefaultTenant = "default";
}
