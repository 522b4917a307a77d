namespace AgentGrid.FrontDoor.Host;

/// <summary>How a stand-alone front door finds its cluster (<c>AgentGrid:Cluster</c>, the same section the silos read).</summary>
public sealed class FrontDoorClusterOptions
{
    /// <summary>StackExchange.Redis connection string of the cluster's membership. Required.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Default: <c>agentgrid</c>; must match the silos.</summary>
    public string ServiceId { get; set; } = "agentgrid";

    /// <summary>Default: <c>agentgrid</c>; must match the silos.</summary>
    public string ClusterId { get; set; } = "agentgrid";

    /// <summary>How long a grain call may take, a whole chat turn included. Default: 5 minutes.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
