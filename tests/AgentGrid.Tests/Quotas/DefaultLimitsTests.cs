using System.Net;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Quotas;

/// <summary>New keys and tenants created without limits get <c>AgentGrid:Defaults</c>'s; admins and explicit choices do not.</summary>
public sealed class DefaultLimitsTests(QuotaGridFixture fixture) : IClassFixture<QuotaGridFixture>
{
    private HttpClient Admin => fixture.Grid.Http;

    [Fact]
    public async Task A_member_key_created_without_limits_gets_the_default_limits_and_budget()
    {
        var created = await (await Admin.PostJsonAsync("/api/keys", new { name = Api.UniqueName("key"), role = "member" })).JsonAsync(HttpStatusCode.Created);
        using var member = fixture.Grid.Client(created.Value<string>("key"));
        var me = await member.GetFromJsonNodeAsync("/api/me");

        Assert.Equal((QuotaGridFixture.KeyRequestsPerMinute, QuotaGridFixture.KeyConcurrentRequests), (created.Value<int>("limits.requestsPerMinute"), created.Value<int>("limits.concurrentRequests")));
        Assert.Null(created["limits"]!["tokensPerMinute"]);
        Assert.Equal((QuotaGridFixture.KeyBudgetTokens, "month"), (created.Value<long>("budget.tokens"), created.Value<string>("budget.period")));
        Assert.Equal(QuotaGridFixture.KeyRequestsPerMinute, me.Value<int>("quota.limits.requestsPerMinute"));
    }

    [Fact]
    public async Task An_admin_key_gets_no_default_limits_and_an_explicit_empty_limits_means_none()
    {
        var admin = await (await Admin.PostJsonAsync("/api/keys", new { name = Api.UniqueName("key"), role = "admin" })).JsonAsync(HttpStatusCode.Created);
        var unlimited = await (await Admin.PostJsonAsync("/api/keys", new { name = Api.UniqueName("key"), role = "reader", limits = new { }, budget = new { tokens = 5 } })).JsonAsync(HttpStatusCode.Created);
        var chosen = await (await Admin.PostJsonAsync("/api/keys", new { name = Api.UniqueName("key"), role = "member", limits = new { tokensPerMinute = 9000 } })).JsonAsync(HttpStatusCode.Created);

        Assert.Null(admin["limits"]);
        Assert.Null(admin["budget"]);
        Assert.Null(unlimited["limits"]);
        Assert.Equal(5, unlimited.Value<long>("budget.tokens"));
        Assert.Equal(9000, chosen.Value<long>("limits.tokensPerMinute"));
        Assert.Null(chosen["limits"]!["requestsPerMinute"]);
    }

    [Fact]
    public async Task A_tenant_created_without_limits_gets_the_default_tenant_limits_and_one_with_limits_keeps_them()
    {
        var plain = await (await Admin.PostJsonAsync("/api/tenants", new { id = Api.UniqueName("tenant") })).JsonAsync(HttpStatusCode.Created);
        var chosen = await (await Admin.PostJsonAsync("/api/tenants", new { id = Api.UniqueName("tenant"), limits = new { requestsPerMinute = 5 } })).JsonAsync(HttpStatusCode.Created);
        var none = await (await Admin.PostJsonAsync("/api/tenants", new { id = Api.UniqueName("tenant"), limits = new { } })).JsonAsync(HttpStatusCode.Created);
        var operators = await Admin.GetFromJsonNodeAsync("/api/tenants/default");

        Assert.Equal(QuotaGridFixture.TenantRequestsPerMinute, plain.Value<int>("limits.requestsPerMinute"));
        Assert.Equal(QuotaGridFixture.TenantRequestsPerMinute, (await Admin.GetFromJsonNodeAsync($"/api/tenants/{plain.Value<string>("id")}")).Value<int>("limits.requestsPerMinute"));
        Assert.Equal(5, chosen.Value<int>("limits.requestsPerMinute"));
        Assert.Null(none["limits"]);
        Assert.Null(operators["limits"]);
    }

    [Fact]
    public async Task A_tenant_created_with_a_bad_limit_is_refused_naming_it()
    {
        var response = await Admin.PostJsonAsync("/api/tenants", new { id = Api.UniqueName("tenant"), limits = new { requestsPerMinute = 0 } });

        await response.ProblemAsync(400, "validation_failed", "limits.requestsPerMinute");
    }

    [Fact]
    public void Negative_defaults_are_all_reported()
    {
        var failures = new DefaultLimitsOptionsValidator().Validate(null, new DefaultLimitsOptions
        {
            KeyLimits = new() { RequestsPerMinute = -1 },
            TenantBudget = new() { CostUsd = -1m },
        }).Failures!;

        Assert.Contains("AgentGrid:Defaults:KeyLimits:RequestsPerMinute must be 0 (none) or more.", failures);
        Assert.Contains("AgentGrid:Defaults:TenantBudget:CostUsd must be 0 (none) or more.", failures);
        Assert.True(new DefaultLimitsOptionsValidator().Validate(null, new DefaultLimitsOptions()).Succeeded);
    }
}
