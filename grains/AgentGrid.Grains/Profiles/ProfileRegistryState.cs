using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Grains.Profiles;

/// <summary>Profiles created through the API; file profiles are read from disk by every silo.</summary>
[GenerateSerializer, Alias("agentgrid.model-registry-state")]
public sealed class ProfileRegistryState
{
    [Id(0)] public Dictionary<string, ModelProfile> Created { get; set; } = [];

    /// <summary>Replica counts an operator pinned (<c>agentgrid models scale</c>), by profile: the autoscaler holds them until cleared.</summary>
    [Id(1)] public Dictionary<string, int> PinnedReplicas { get; set; } = [];
}
