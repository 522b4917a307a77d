namespace AgentGrid.Contracts.Identity;

/// <summary>
/// Who a model call is made for, as the front door authenticated it: limits, budgets and the usage ledger are
/// kept per <see cref="Tenant"/> and per <see cref="KeyId"/>. A call made by the grid itself has no key.
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.caller")]
public sealed record Caller([property: Id(0)] string Tenant, [property: Id(1)] string? KeyId)
{
    public static Caller System(string tenant) => new(tenant, null);
}
