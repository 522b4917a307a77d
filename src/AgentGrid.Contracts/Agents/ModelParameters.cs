namespace AgentGrid.Contracts.Agents;

/// <summary>Sampling parameters an agent sends with each request; null means the backend's default.</summary>
[GenerateSerializer, Immutable]
[Alias("agentgrid.model-parameters")]
public sealed record ModelParameters
{
    [Id(0)] public double? Temperature { get; init; }
    [Id(1)] public double? TopP { get; init; }
    [Id(2)] public int? MaxTokens { get; init; }
}
