using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Usage;
using AgentGrid.Tests.Infrastructure;
using Orleans.Streams;

namespace AgentGrid.Tests.Identity;

/// <summary>Limits are counted by one grain per key or tenant, so they hold however many silos serve the calls.</summary>
public sealed class ClusterQuotaTests
{
    [Fact]
    public async Task A_tenant_limit_holds_across_two_silos_and_every_call_lands_in_one_ledger()
    {
        using var data = new TempDirectory();
        await using var cluster = await GridCluster.StartAsync(Path.Combine(data.Path, "grid.db"), silos: 2);
        var tenant = $"t{Guid.NewGuid():N}";
        await cluster.Client.GetGrain<IQuotaGrain>(QuotaKeys.ForTenant(tenant)).ConfigureAsync(new RateLimits { RequestsPerMinute = 5 }, null);
        var events = new System.Collections.Concurrent.ConcurrentQueue<UsageRecord>();
        var fifth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await cluster.Client.GetStreamProvider(AgentGrid.Contracts.GridNames.StreamProvider)
            .GetStream<UsageRecord>(StreamId.Create(AgentGrid.Contracts.GridNames.UsageStreamNamespace, tenant))
            .SubscribeAsync((record, _) =>
            {
                events.Enqueue(record);
                if (events.Count == 5)
                {
                    fifth.TrySetResult();
                }

                return Task.CompletedTask;
            });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            // A fresh completion grain per call: Orleans places each on either silo.
            var request = new CompletionRequest { Model = "simulator", Messages = [new PromptMessage("user", $"call {i}")], Caller = new Caller(tenant, null) };
            try
            {
                await foreach (var _ in cluster.Client.GetGrain<IChatCompletionGrain>(Guid.NewGuid()).StreamAsync(request))
                {
                }

                return "ok";
            }
            catch (AgentGridException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(5, outcomes.Count(o => o == "ok"));
        Assert.Equal(7, outcomes.Count(o => o == ErrorCodes.RateLimited));
        var rows = await cluster.Client.GetGrain<IUsageLedgerGrain>(IUsageLedgerGrain.KeyFor(tenant, DateOnly.FromDateTime(DateTime.UtcNow))).GetRowsAsync();
        Assert.Equal(5, rows.Sum(r => r.Requests));
        Assert.Equal(5 * 8, rows.Sum(r => r.OutputTokens));
        Assert.Equal(2, cluster.Silos.Count);
        // Each call is also a usage event on the tenant's stream.
        await fifth.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(events, e => Assert.Equal((tenant, "simulator", "completion", 8L), (e.Tenant, e.Model, e.Source, e.OutputTokens)));
    }
}
