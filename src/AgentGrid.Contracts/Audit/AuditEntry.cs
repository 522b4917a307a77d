namespace AgentGrid.Contracts.Audit;

/// <summary>One audited action (an admin's, or a member's write): who did what, when, and how it ended. Never a request body.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.audit-entry")]
public sealed record AuditEntry
{
    [Id(0)] public required DateTimeOffset At { get; init; }

    /// <summary>The key that acted, and its tenant and name at the time.</summary>
    [Id(1)] public required string KeyId { get; init; }
    [Id(2)] public required string Tenant { get; init; }
    [Id(3)] public string? KeyName { get; init; }

    /// <summary>The operation, as method and route, e.g. <c>DELETE /api/keys/{id}</c>.</summary>
    [Id(4)] public required string Action { get; init; }

    /// <summary>What it acted on: the route's values, e.g. <c>id=key_…</c>.</summary>
    [Id(5)] public string? Target { get; init; }

    /// <summary>The HTTP status it ended with.</summary>
    [Id(6)] public required int Status { get; init; }

    [Id(7)] public string? CorrelationId { get; init; }
}
