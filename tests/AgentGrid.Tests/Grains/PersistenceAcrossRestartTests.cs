using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Grains;

public sealed class PersistenceAcrossRestartTests
{
    [Fact]
    public async Task Agents_versions_and_session_history_survive_a_silo_restart_with_sqlite_storage()
    {
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var keys = new Keys();
        var agentKey = keys.Agent();
        var sessionKey = keys.Session();

        IReadOnlyList<SessionMessage> before;
        await using (var first = await GridCluster.StartAsync(database))
        {
            var agent = first.Client.GetGrain<IAgentGrain>(agentKey);
            var created = await agent.CreateAsync(new AgentDefinition { Name = "durable", SystemPrompt = "v1" });
            await agent.UpdateAsync(new AgentDefinition { Name = "durable", SystemPrompt = "v2" });
            var session = first.Client.GetGrain<ISessionGrain>(sessionKey);
            await session.OpenAsync(created.Id, new Dictionary<string, string>());
            await session.SendMessageAsync("remember me");
            before = await session.GetMessagesAsync();
        }

        await using var second = await GridCluster.StartAsync(database);

        var restored = second.Client.GetGrain<IAgentGrain>(agentKey);
        Assert.Equal("v2", (await restored.GetAsync()).SystemPrompt);
        Assert.Equal(2, (await restored.GetVersionsAsync()).Count);
        Assert.Equal(before, await second.Client.GetGrain<ISessionGrain>(sessionKey).GetMessagesAsync());
        Assert.Equal("durable", Assert.Single(await second.Client.GetGrain<IAgentIndexGrain>(keys.Tenant).ListAsync()).Name);
    }
}
