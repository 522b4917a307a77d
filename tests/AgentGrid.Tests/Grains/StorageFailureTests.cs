using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;
using Orleans.TestingHost;

namespace AgentGrid.Tests.Grains;

/// <summary>What users are promised when grain storage fails: nothing half-done, names stay consistent.</summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly StorageFaults _faults = new();
    private readonly Keys _keys = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GridCluster.StartAsync(Path.Combine(_data.Path, "grid.db"), faults: _faults);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    private IAgentIndexGrain Index => _cluster.Client.GetGrain<IAgentIndexGrain>(_keys.Tenant);

    [Fact]
    public async Task A_create_whose_agent_write_fails_leaves_the_name_free_and_the_index_empty()
    {
        _faults.FailWritesOf("agent");
        await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "keep" }));
        _faults.Heal();

        Assert.Empty(await Index.ListAsync());
        Assert.Equal("keep", (await _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "keep" })).Name);
    }

    [Fact]
    public async Task A_rename_whose_write_fails_keeps_the_old_name_and_gives_the_new_one_back()
    {
        var agent = _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent());
        await agent.CreateAsync(new AgentDefinition { Name = "old" });

        _faults.FailWritesOf("agent");
        await Assert.ThrowsAnyAsync<Exception>(() => agent.UpdateAsync(new AgentDefinition { Name = "new" }));
        _faults.Heal();

        Assert.Equal("old", (await agent.GetAsync()).Name);
        Assert.Equal("old", Assert.Single(await Index.ListAsync()).Name);
        Assert.Equal("new", (await _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "new" })).Name);
        var clash = await Assert.ThrowsAsync<AgentGridException>(() =>
            _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "old" }));
        Assert.Equal(ErrorCodes.AgentNameConflict, clash.Code);
    }

    [Fact]
    public async Task An_agent_stored_while_the_index_cannot_write_keeps_its_name_and_is_listed_once_the_index_recovers()
    {
        var key = _keys.Agent();
        _faults.FailWritesOf("agent-index");
        await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Client.GetGrain<IAgentGrain>(key).CreateAsync(new AgentDefinition { Name = "solo" }));
        _faults.Heal();

        // The claim never reached the index, so the create failed as a whole and nothing is stored.
        await Assert.ThrowsAsync<AgentGridException>(_cluster.Client.GetGrain<IAgentGrain>(key).GetAsync);

        var agent = _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent());
        await agent.CreateAsync(new AgentDefinition { Name = "solo" });
        _faults.FailWritesOf("agent-index");
        var updated = await agent.UpdateAsync(new AgentDefinition { Name = "solo", Description = "v2" });
        _faults.Heal();

        Assert.Equal(2, updated.Version);
        await _cluster.DeactivateAsync(agent);
        await agent.GetAsync();
        Assert.Equal(2, Assert.Single(await Index.ListAsync()).Version);
    }

    [Fact]
    public async Task A_reply_that_cannot_be_stored_ends_the_turn_with_turn_interrupted_and_keeps_the_message()
    {
        var agentId = (await _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "half" })).Id;
        var session = _cluster.Client.GetGrain<ISessionGrain>(_keys.Session());
        await session.OpenAsync(agentId, new Dictionary<string, string>());

        _faults.FailWritesOf("session", succeedFirst: 1);
        var error = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("kept", "msg_kept"));
        _faults.Heal();

        Assert.Equal(ErrorCodes.TurnInterrupted, error.Code);
        Assert.Equal("kept", Assert.Single(await session.GetMessagesAsync()).Content);
        var events = await session.GetEventsAsync(0);
        Assert.Equal((SessionEventTypes.TurnFailed, ErrorCodes.TurnInterrupted, "msg_kept"), (events[^1].Type, events[^1].Code, events[^1].TurnId));
        Assert.DoesNotContain(events, e => e.Type == SessionEventTypes.MessageCompleted);
        var next = await session.SendMessageAsync("and again");
        Assert.True(next.Reply!.Content.Length > 0);
    }

    [Fact]
    public async Task A_send_whose_user_message_cannot_be_stored_fails_and_leaves_no_phantom_message()
    {
        var agentId = (await _cluster.Client.GetGrain<IAgentGrain>(_keys.Agent()).CreateAsync(new AgentDefinition { Name = "chat" })).Id;
        var session = _cluster.Client.GetGrain<ISessionGrain>(_keys.Session());
        await session.OpenAsync(agentId, new Dictionary<string, string>());

        _faults.FailWritesOf("session");
        await Assert.ThrowsAnyAsync<Exception>(() => session.SendMessageAsync("lost?"));
        _faults.Heal();

        Assert.Empty(await session.GetMessagesAsync());
        var turn = await session.SendMessageAsync("again");
        Assert.Equal([turn.Message, turn.Reply!], await session.GetMessagesAsync());
    }
}
