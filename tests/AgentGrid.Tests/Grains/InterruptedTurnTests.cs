using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Grains;

public sealed class InterruptedTurnTests
{
    [Fact]
    public async Task A_turn_cut_off_by_a_silo_crash_is_closed_with_turn_interrupted_past_any_sequence_it_may_have_used()
    {
        using var data = new TempDirectory();
        await using var slow = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromSeconds(30) });
        var database = Path.Combine(data.Path, "grid.db");
        var settings = new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Models:slow:BaseUrl"] = slow.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:slow:Model"] = SimulatorOptions.DefaultModelId,
        };
        var keys = new Keys();
        var sessionKey = keys.Session();

        var first = await GridCluster.StartAsync(database, settings);
        var agent = await first.Client.GetGrain<IAgentGrain>(keys.Agent()).CreateAsync(new AgentDefinition { Name = "crashy", Model = "slow" });
        await first.Client.GetGrain<ISessionGrain>(sessionKey).OpenAsync(agent.Id, new Dictionary<string, string>());
        _ = first.Client.GetGrain<ISessionGrain>(sessionKey).SendMessageAsync("are you there?", "msg_cut");
        await Eventually.TrueAsync(() => slow.Engine.Running == 1, TimeSpan.FromSeconds(10), "the reply to be in progress");
        await first.KillSiloAsync(first.Silos[0]);
        await first.DisposeAsync();

        await using var second = await GridCluster.StartAsync(database, settings);
        var session = second.Client.GetGrain<ISessionGrain>(sessionKey);
        var events = await session.GetEventsAsync(0);

        Assert.Equal("are you there?", Assert.Single(await session.GetMessagesAsync()).Content);
        Assert.Equal([SessionEventTypes.MessageAccepted, SessionEventTypes.TurnFailed], events.Select(e => e.Type));
        Assert.Equal(("msg_cut", ErrorCodes.TurnInterrupted), (events[1].TurnId, events[1].Code));
        Assert.True(events[1].Sequence > events[0].Sequence + 1_000_000, "no sequence number the lost activation may have published is reused");
    }
}
