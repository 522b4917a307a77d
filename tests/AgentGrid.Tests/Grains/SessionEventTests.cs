using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Grains;

[Collection(GridClusterCollection.Name)]
public sealed class SessionEventTests(GridClusterFixture fixture)
{
    private const int TokensPerReply = 8;
    private readonly Keys _keys = new();

    private async Task<(ISessionGrain Session, string Key)> OpenAsync(string? model = null)
    {
        var agent = await fixture.Grains.GetGrain<IAgentGrain>(_keys.Agent())
            .CreateAsync(new AgentDefinition { Name = "events-" + Guid.NewGuid().ToString("N")[..6], Model = model });
        var key = _keys.Session();
        var session = fixture.Grains.GetGrain<ISessionGrain>(key);
        await session.OpenAsync(agent.Id, new Dictionary<string, string>());
        return (session, key);
    }

    [Fact]
    public async Task A_turn_publishes_accepted_tokens_and_completed_with_increasing_sequence_numbers()
    {
        var (session, key) = await OpenAsync();
        var received = new List<SessionEvent>();
        var completed = new TaskCompletionSource();
        var watcher = new EventWatcher(e =>
        {
            lock (received)
            {
                received.Add(e);
            }

            if (e.Type == SessionEventTypes.MessageCompleted)
            {
                completed.TrySetResult();
            }
        });
        var reference = fixture.Cluster.Client.CreateObjectReference<ISessionEventObserver>(watcher);
        await session.WatchAsync(reference);

        var turn = await session.SendMessageAsync("Tell me a story", "msg_story");
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await session.UnwatchAsync(reference);
        GC.KeepAlive(watcher);

        var kept = await session.GetEventsAsync(0);
        // Pushes are one-way and may arrive out of order; followers put them in order by sequence number.
        Assert.Equal(kept, received.OrderBy(e => e.Sequence));
        // Token events carry one or more pieces each (pieces that arrive while a publish is in flight travel together);
        // a watched turn streams, so there are several.
        Assert.InRange(kept.Count, 4, TokensPerReply + 2);
        Assert.Equal(Enumerable.Range(1, kept.Count).Select(i => (long)i), kept.Select(e => e.Sequence));
        Assert.All(kept, e => Assert.Equal("msg_story", e.TurnId));
        Assert.Equal(SessionEventTypes.MessageAccepted, kept[0].Type);
        Assert.Equal(turn.Message, kept[0].Message);
        Assert.All(kept.Skip(1).SkipLast(1), e => Assert.Equal(SessionEventTypes.Token, e.Type));
        Assert.Equal(turn.Reply!.Content, string.Concat(kept.Where(e => e.Type == SessionEventTypes.Token).Select(e => e.Delta)));
        var done = kept[^1];
        Assert.Equal(SessionEventTypes.MessageCompleted, done.Type);
        Assert.Equal(turn.Reply, done.Message);
        Assert.Equal(TokensPerReply, done.OutputTokens);
        Assert.True(done.InputTokens > 0);
        Assert.True(done.TimeToFirstTokenMs > 0 && done.TotalMs >= done.TimeToFirstTokenMs);
        Assert.Equal("stop", done.FinishReason);
    }

    [Fact]
    public async Task Replay_returns_exactly_the_events_after_any_sequence_number()
    {
        var (session, _) = await OpenAsync();
        await session.SendMessageAsync("one");
        await session.SendMessageAsync("two");
        var all = await session.GetEventsAsync(0);

        for (var after = 0; after <= all.Count; after++)
        {
            Assert.Equal(all.Skip(after), await session.GetEventsAsync(after));
        }

        Assert.Equal(all[^1].Sequence, (await session.GetAsync()).LastSequence);
    }

    [Fact]
    public async Task Only_the_most_recent_events_are_retained_and_sequence_numbers_keep_increasing()
    {
        var (session, _) = await OpenAsync();
        for (var i = 0; i < 40; i++)
        {
            await session.SendMessageAsync($"turn {i}");
        }

        var kept = await session.GetEventsAsync(0);
        var total = (await session.GetAsync()).LastSequence;
        Assert.True(total > GridClusterFixture.MaxRetainedEvents, $"the test needs more than {GridClusterFixture.MaxRetainedEvents} events; it made {total}");
        Assert.Equal(GridClusterFixture.MaxRetainedEvents, kept.Count);
        Assert.Equal(Enumerable.Range((int)total - kept.Count + 1, kept.Count).Select(i => (long)i), kept.Select(e => e.Sequence));
        Assert.Equal(80, (await session.GetMessagesAsync()).Count);
    }

    [Fact]
    public async Task A_failed_turn_publishes_turn_failed_with_the_error_code()
    {
        var (session, _) = await OpenAsync(model: "offline");

        await Assert.ThrowsAsync<AgentGridException>(() => session.SendMessageAsync("hello", "msg_fails"));

        var events = await session.GetEventsAsync(0);
        Assert.Equal([SessionEventTypes.MessageAccepted, SessionEventTypes.TurnFailed], events.Select(e => e.Type));
        Assert.Equal(ErrorCodes.ModelUnavailable, events[1].Code);
        Assert.Equal("msg_fails", events[1].TurnId);
    }

    [Fact]
    public async Task Cancelling_the_turn_stops_the_backend_request_and_publishes_turn_failed_cancelled()
    {
        var (session, _) = await OpenAsync(model: "slow");
        var running = fixture.Slow.Engine.Running;

        var send = session.SendMessageAsync("take your time", "msg_cancel");
        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running > running, TimeSpan.FromSeconds(10), "the backend request to start");
        Assert.True(await session.CancelTurnAsync());

        var error = await Assert.ThrowsAsync<AgentGridException>(() => send);
        Assert.Equal(ErrorCodes.TurnCancelled, error.Code);
        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running == running, TimeSpan.FromSeconds(10), "the backend request to be aborted");
        var events = await session.GetEventsAsync(0);
        Assert.Equal(ErrorCodes.TurnCancelled, events[^1].Code);
        Assert.Single(await session.GetMessagesAsync());
        Assert.False(await session.CancelTurnAsync());
    }

    [Fact]
    public async Task Cancelling_names_the_turn_and_leaves_other_turns_alone()
    {
        var (session, _) = await OpenAsync(model: "slow");
        var running = fixture.Slow.Engine.Running;

        var send = session.SendMessageAsync("mine", "msg_mine");
        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running > running, TimeSpan.FromSeconds(10), "the backend request to start");

        Assert.False(await session.CancelTurnAsync("msg_someone_else"));
        Assert.True(await session.CancelTurnAsync("msg_mine"));
        Assert.Equal(ErrorCodes.TurnCancelled, (await Assert.ThrowsAsync<AgentGridException>(() => send)).Code);
    }

    [Fact]
    public async Task A_subscriber_further_behind_than_the_retained_events_is_told_events_expired()
    {
        var (session, key) = await OpenAsync();
        for (var i = 0; i < 40; i++)
        {
            await session.SendMessageAsync($"turn {i}");
        }

        var feed = new AgentGrid.FrontDoor.Events.SessionEventFeed(fixture.Cluster.Client,
            new AgentGrid.FrontDoor.Events.SessionEventRelay(fixture.Cluster.Client, Microsoft.Extensions.Logging.Abstractions.NullLogger<AgentGrid.FrontDoor.Events.SessionEventRelay>.Instance),
            Microsoft.Extensions.Options.Options.Create(new AgentGrid.FrontDoor.Events.SessionEventFeedOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AgentGrid.FrontDoor.Events.SessionEventFeed>.Instance);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await using var behind = await feed.SubscribeAsync(key, 1);
        var error = await Assert.ThrowsAsync<AgentGridException>(async () =>
        {
            await foreach (var _ in behind.ReadAllAsync(cancel.Token))
            {
            }
        });
        Assert.Equal(ErrorCodes.EventsExpired, error.Code);

        // From 0 means from the oldest retained: no error.
        await using var oldest = await feed.SubscribeAsync(key, 0);
        await foreach (var e in oldest.ReadAllAsync(cancel.Token))
        {
            Assert.Equal((await session.GetEventsAsync(0))[0].Sequence, e.Sequence);
            break;
        }
    }

    [Fact]
    public async Task A_caller_that_cancels_its_call_stops_the_backend_request()
    {
        var (session, _) = await OpenAsync(model: "slow");
        var running = fixture.Slow.Engine.Running;
        using var caller = new CancellationTokenSource();

        var send = session.SendMessageAsync("never mind", cancellationToken: caller.Token);
        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running > running, TimeSpan.FromSeconds(10), "the backend request to start");
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await Eventually.TrueAsync(() => fixture.Slow.Engine.Running == running, TimeSpan.FromSeconds(10), "the backend request to be aborted");
        await Eventually.TrueAsync(async () => (await session.GetEventsAsync(0))[^1] is { Type: SessionEventTypes.TurnFailed, Code: ErrorCodes.TurnCancelled },
            TimeSpan.FromSeconds(10), "the turn to be closed as cancelled");
    }
}

/// <summary>A test's follower of a session's pushed events.</summary>
internal sealed class EventWatcher(Action<SessionEvent> received) : ISessionEventObserver
{
    public Task OnEventAsync(SessionEvent e)
    {
        received(e);
        return Task.CompletedTask;
    }
}
