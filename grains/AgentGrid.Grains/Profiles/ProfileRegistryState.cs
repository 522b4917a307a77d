using AgentGrid.Contracts.Profiles;

namespace AgentGrid.Grains.Profiles;

/// <summary>Profiles created through the API; file profiles are read from disk by every silo.</summary>
[GenerateSerializer, Alias("agentgrid.model-registry-state")]
public sealed class ProfileRegistryState
{
    [Id(0)] public Dictionary<string, ModelProfile> Created { get; set; } = [];
}
