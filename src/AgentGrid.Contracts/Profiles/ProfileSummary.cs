namespace AgentGrid.Contracts.Profiles;

/// <summary>Profiles of one category, as <c>GET /api/profiles</c> groups them.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.profile.category")]
public sealed record ProfileCategory([property: Id(0)] string Category, [property: Id(1)] IReadOnlyList<ModelProfile> Profiles);
