using AgentGrid.Contracts;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>Fresh grain keys in a tenant of the test's own, so tests never see each other's agents.</summary>
public sealed class Keys
{
    public string Tenant { get; } = "t-" + Guid.NewGuid().ToString("N")[..12];

    public string Agent(string? id = null) => GrainKeys.For(Tenant, id ?? GrainKeys.NewId("agt"));

    public string Session(string? id = null) => GrainKeys.For(Tenant, id ?? GrainKeys.NewId("ses"));
}
