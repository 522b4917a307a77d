namespace AgentGrid.Contracts.Identity;

/// <summary>
/// What is known of an API key; never the key itself, which is shown once at creation and stored only as a
/// keyed hash (the grain key of its <see cref="IApiKeyGrain"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.api-key")]
public sealed record ApiKey
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }

    /// <summary>The key's first characters, enough to tell keys apart in a list.</summary>
    [Id(2)] public required string Prefix { get; init; }

    [Id(3)] public required Role Role { get; init; }
    [Id(4)] public required string Tenant { get; init; }
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public DateTimeOffset? ExpiresAt { get; init; }
    [Id(7)] public DateTimeOffset? LastUsedAt { get; init; }
    [Id(8)] public DateTimeOffset? RevokedAt { get; init; }
    [Id(9)] public RateLimits? Limits { get; init; }
    [Id(10)] public Budget? Budget { get; init; }

    /// <summary>Who made it: the id of the admin key, or <c>bootstrap</c>.</summary>
    [Id(11)] public string? CreatedBy { get; init; }

    /// <summary>
    /// The person the key was made for; null for an application key, which owns what it makes itself. Keys stored
    /// before owners existed have none.
    /// </summary>
    [Id(12)] public string? Owner { get; init; }

    [Id(13)] public IReadOnlyList<KeyPermission> Permissions { get; init; } = [];

    /// <summary>Whose sessions, memories and tool-call logs the key makes and sees: its <see cref="Owner"/>, or itself.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string OwnerId => Owner ?? Id;

    /// <summary>Whether the key sees every owner's resources of its tenant: admins and keys with <see cref="KeyPermission.TenantWide"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SeesWholeTenant => Role == Role.Admin || Permissions.Contains(KeyPermission.TenantWide);

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
