namespace AgentGrid.Contracts.Identity;

/// <summary>A tenant: the owner of agents, sessions and keys. Its limits and budget cover all its keys together.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.tenant")]
public sealed record Tenant
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(3)] public RateLimits? Limits { get; init; }
    [Id(4)] public Budget? Budget { get; init; }
}
