using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>Requests per minute over the whole API, per key and per tenant, with admins left out.</summary>
public sealed class ApiLimitsTests
{
    [Fact]
    public async Task A_key_past_its_requests_per_minute_gets_429_its_tenant_is_capped_as_a_whole_and_admins_and_other_tenants_go_on()
    {
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["AgentGrid:ApiLimits:KeyRequestsPerMinute"] = "5",
            ["AgentGrid:ApiLimits:TenantRequestsPerMinute"] = "8",
        });
        var tenant = await grid.Http.CreateTenantAsync();
        using var first = grid.Client(await grid.Http.CreateKeyAsync("member", tenant));
        using var second = grid.Client(await grid.Http.CreateKeyAsync("reader", tenant));
        using var elsewhere = grid.Client(await grid.Http.CreateKeyAsync("member", await grid.Http.CreateTenantAsync()));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/agents")).StatusCode);
        }

        var refused = await first.GetAsync("/api/agents");
        var secondStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            secondStatuses.Add((await second.GetAsync("/api/agents")).StatusCode);
        }

        await refused.ProblemAsync(429, "rate_limited");
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) >= 1);
        Assert.Contains(HttpStatusCode.OK, secondStatuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, secondStatuses[^1]);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/agents")).StatusCode);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await grid.Http.GetAsync("/api/agents")).StatusCode);
        }
    }
}
