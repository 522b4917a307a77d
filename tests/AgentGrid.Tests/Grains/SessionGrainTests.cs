using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Grains;

[Collection(GridClusterCollection.Name)]
public sealed class SessionGrainTests(GridClusterFixture fixture)
{
    private const int TokensPerReply = 8;
    private readonly Keys _keys = new();

    private async Task<string> CreateAgentAsync(string? systemPrompt = null, string? model = null)
    {
        var key = _keys.Agent();
        var agent = await fixture.Grains.GetGrain<IAgentGrain>(key)
            .CreateAsync(new AgentDefinition { Name = "agent-" + Guid.NewGuid().ToString("N")[..6], SystemPrompt = systemPrompt, Model = model });
        return agent.Id;
    }

    private ISessionGrain NewSession() => fixture.Grains.GetGrain<ISessionGrain>(_keys.Session());

    [Fact]
    public async Task A_reply_is_generated_from_the_rendered_system_prompt_and_the_history()
    {
        var agentId = await CreateAgentAsync("You help {{name}} with {{task}}.");
        var session = NewSession();
        await session.OpenAsync(agentId, new Dictionary<string, string> { ["name"] = "Ada", ["task"] = "maths" });

        var turn = await session.SendMessageAsync("What is 2 + 2?");

        Assert.Equal(MessageRoles.User, turn.Message.Role);
        Assert.Equal("What is 2 + 2?", turn.Message.Content);
        Assert.Equal(MessageRoles.Assistant, turn.Reply!.Role);
        Assert.Equal(ExpectedReply.For("You help Ada with maths.", [turn.Message], TokensPerReply), turn.Reply!.Content);
        Assert.Equal([turn.Message, turn.Reply!], await session.GetMessagesAsync());
    }

    [Fact]
    public async Task Sending_an_answered_message_again_with_its_id_returns_the_stored_turn()
    {
        var session = NewSession();
        await session.OpenAsync(await CreateAgentAsync("Be brief."), new Dictionary<string, string>());
        var first = await session.SendMessageAsync("Hello?", "msg_retry_answered");

        var again = await session.SendMessageAsync("Hello?", "msg_retry_answered");

        Assert.Equal((first.Message, first.Reply), (again.Message, again.Reply));
        Assert.Equal(2, (await session.GetMessagesAsync()).Count);
        var changed = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("Something else", "msg_retry_answered"));
        Assert.Equal(("validation_failed", "messageId"), (changed.Code, changed.Field));
    }

    [Fact]
    public async Task An_interrupted_last_message_sent_again_with_its_id_is_answered_without_being_stored_twice()
    {
        var agentKey = _keys.Agent();
        var agent = fixture.Grains.GetGrain<IAgentGrain>(agentKey);
        var created = await agent.CreateAsync(new AgentDefinition { Name = "agent-" + Guid.NewGuid().ToString("N")[..6], Model = "offline" });
        var session = NewSession();
        await session.OpenAsync(created.Id, new Dictionary<string, string>());
        var failed = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("Are you there?", "msg_retry_me"));
        Assert.Equal(ErrorCodes.ModelUnavailable, failed.Code);

        await agent.UpdateAsync(new AgentDefinition { Name = created.Name, Model = "simulator" });
        var turn = await session.SendMessageAsync("Are you there?", "msg_retry_me");

        var history = await session.GetMessagesAsync();
        Assert.Equal(["msg_retry_me", turn.Reply!.Id], history.Select(m => m.Id));
        Assert.Equal(ExpectedReply.For(null, [turn.Message], TokensPerReply), turn.Reply!.Content);
    }

    [Fact]
    public async Task Concurrent_sends_are_answered_one_at_a_time_in_order()
    {
        var agentId = await CreateAgentAsync("Count.");
        var session = NewSession();
        await session.OpenAsync(agentId, new Dictionary<string, string>());

        var turns = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => session.SendMessageAsync($"message {i}")));
        var history = await session.GetMessagesAsync();

        Assert.Equal(16, history.Count);
        for (var i = 0; i < history.Count; i += 2)
        {
            Assert.Equal(MessageRoles.User, history[i].Role);
            Assert.Equal(MessageRoles.Assistant, history[i + 1].Role);
            // Each reply saw exactly the history before it: no other send interleaved.
            Assert.Equal(ExpectedReply.For("Count.", history.Take(i + 1), TokensPerReply), history[i + 1].Content);
        }

        foreach (var turn in turns)
        {
            var at = history.ToList().FindIndex(m => m.Id == turn.Message.Id);
            Assert.Equal(turn.Reply!.Id, history[at + 1].Id);
        }
    }

    [Fact]
    public async Task After_a_failed_turn_the_unanswered_message_is_sent_together_with_the_next()
    {
        var agent = fixture.Grains.GetGrain<IAgentGrain>(_keys.Agent());
        var created = await agent.CreateAsync(new AgentDefinition { Name = "flaky-" + Guid.NewGuid().ToString("N")[..6], Model = "offline" });
        var session = NewSession();
        await session.OpenAsync(created.Id, new Dictionary<string, string>());
        await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("first try"));
        await agent.UpdateAsync(new AgentDefinition { Name = created.Name, Model = "simulator" });

        var turn = await session.SendMessageAsync("second try");

        var merged = new SessionMessage { Id = "", Role = MessageRoles.User, Content = "first try\n\nsecond try" };
        Assert.Equal(ExpectedReply.For(null, [merged], TokensPerReply), turn.Reply!.Content);
    }

    [Fact]
    public async Task Opening_without_a_value_for_a_placeholder_fails_naming_the_variable()
    {
        var agentId = await CreateAgentAsync("Hello {{name}}");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => NewSession().OpenAsync(agentId, new Dictionary<string, string>()));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("variables.name", error.Field);
    }

    [Fact]
    public async Task Opening_on_an_unknown_agent_fails_with_agent_not_found()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => NewSession().OpenAsync("agt_missing", new Dictionary<string, string>()));
        Assert.Equal(ErrorCodes.AgentNotFound, error.Code);
    }

    [Fact]
    public async Task When_the_model_is_down_the_user_message_is_kept_and_model_unavailable_is_raised()
    {
        var agentId = await CreateAgentAsync(model: "offline");
        var session = NewSession();
        await session.OpenAsync(agentId, new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("anyone there?"));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
        var history = await session.GetMessagesAsync();
        Assert.Equal("anyone there?", Assert.Single(history).Content);
    }

    [Fact]
    public async Task Empty_and_over_long_messages_fail_with_validation_failed_on_content()
    {
        var session = NewSession();
        await session.OpenAsync(await CreateAgentAsync(), new Dictionary<string, string>());

        var empty = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("  "));
        var tooLong = await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync(new string('a', AgentGrid.Contracts.Limits.MaxMessageLength + 1)));

        Assert.Equal(("validation_failed", "content"), (empty.Code, empty.Field));
        Assert.Equal(("validation_failed", "content"), (tooLong.Code, tooLong.Field));
        Assert.Empty(await session.GetMessagesAsync());
    }

    [Fact]
    public async Task A_deleted_session_is_gone()
    {
        var session = NewSession();
        await session.OpenAsync(await CreateAgentAsync(), new Dictionary<string, string>());

        await session.DeleteAsync();

        var error = await Assert.ThrowsAsync<AgentGridException>(() => session.GetMessagesAsync());
        Assert.Equal(ErrorCodes.SessionNotFound, error.Code);
    }
}
