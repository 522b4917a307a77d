using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Quotas;

/// <summary>
/// An embedded grid with one tool run, MCP call and workflow run at once per tenant, small caps on documents and stored
/// bytes, and default limits for new keys and tenants.
/// </summary>
public sealed class QuotaGridFixture : IAsyncLifetime
{
    public const int Documents = 2;
    public const int StoredBytes = 200;
    public const int KeyRequestsPerMinute = 77;
    public const int KeyConcurrentRequests = 5;
    public const long KeyBudgetTokens = 123_456;
    public const int TenantRequestsPerMinute = 700;

    private readonly TempDirectory _data = new();

    public EmbeddedGrid Grid { get; private set; } = null!;

    public async Task InitializeAsync() => Grid = await EmbeddedGrid.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["AgentGrid:TenantConcurrency:ToolRuns"] = "1",
        ["AgentGrid:TenantConcurrency:McpCalls"] = "1",
        ["AgentGrid:TenantConcurrency:WorkflowRuns"] = "1",
        ["AgentGrid:TenantCaps:Documents"] = Documents.ToString(),
        ["AgentGrid:TenantCaps:StoredBytes"] = StoredBytes.ToString(),
        ["AgentGrid:Defaults:KeyLimits:RequestsPerMinute"] = KeyRequestsPerMinute.ToString(),
        ["AgentGrid:Defaults:KeyLimits:ConcurrentRequests"] = KeyConcurrentRequests.ToString(),
        ["AgentGrid:Defaults:KeyBudget:Tokens"] = KeyBudgetTokens.ToString(),
        ["AgentGrid:Defaults:TenantLimits:RequestsPerMinute"] = TenantRequestsPerMinute.ToString(),
    });

    /// <summary>A member of a tenant of its own, so each test starts from nothing.</summary>
    public async Task<(string Tenant, HttpClient Member)> NewTenantMemberAsync()
    {
        var tenant = await Grid.Http.CreateTenantAsync();
        return (tenant, Grid.Client(await Grid.Http.CreateKeyAsync("member", tenant)));
    }

    public async Task DisposeAsync()
    {
        await Grid.DisposeAsync();
        _data.Dispose();
    }
}
