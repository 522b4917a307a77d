using System.Net;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Events;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class SessionEventsSseTests(FrontDoorFixture fixture)
{
    private Task<List<SessionEventFrame>> ReadSseAsync(string path, string? lastEventId = null, Func<Task?>? watched = null, Action? opened = null) =>
        SessionEventStream.ReadTurnAsync(fixture.Http, path, lastEventId, watched, opened);

    [Fact]
    public async Task The_events_endpoint_streams_every_event_with_its_sequence_as_the_sse_id()
    {
        var sessionId = await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName() }));
        await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" });

        var frames = await ReadSseAsync($"/api/sessions/{sessionId}/events?after=0");

        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => f.Event.Sequence));
        Assert.All(frames, f => Assert.Equal(f.Event.Sequence.ToString(), f.Id));
        Assert.Equal(SessionEventTypes.MessageAccepted, frames[0].Event.Type);
        Assert.Equal(SessionEventTypes.MessageCompleted, frames[^1].Event.Type);
        Assert.Equal(["sequence", "type", "turnId", "at", "delta"], frames[1].Json.Select(p => p.Key));
    }

    [Fact]
    public async Task Last_event_id_resumes_after_that_sequence_and_wins_over_after()
    {
        var sessionId = await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName(), model = "paced" }));
        // Nobody watched this turn, so its reply came in one piece: accepted (1), one token (2), completed (3).
        await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" });

        var frames = await ReadSseAsync($"/api/sessions/{sessionId}/events?after=1", lastEventId: "2");

        Assert.Equal(3, frames[0].Event.Sequence);
        Assert.Equal(SessionEventTypes.MessageCompleted, frames[^1].Event.Type);
    }

    [Fact]
    public async Task A_turn_nobody_watches_is_asked_of_the_model_in_one_piece()
    {
        var sessionId = await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName(), model = "paced" }));
        var turn = await (await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "alone" })).JsonAsync(HttpStatusCode.OK);

        var frames = await ReadSseAsync($"/api/sessions/{sessionId}/events?after=0");

        // The paced backend streams 30 tokens; asked for the whole reply, it answers once, as one token event.
        var token = Assert.Single(frames, f => f.Event.Type == SessionEventTypes.Token);
        Assert.Equal(turn["reply"].Value<string>("content"), token.Event.Delta);
        Assert.Equal([SessionEventTypes.MessageAccepted, SessionEventTypes.Token, SessionEventTypes.MessageCompleted], frames.Select(f => f.Event.Type));
    }

    [Fact]
    public async Task A_live_turn_streams_while_it_is_generated()
    {
        var agentId = await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName(), model = "paced" });
        var sessionId = await fixture.Http.OpenSessionAsync(agentId);

        Task<HttpResponseMessage>? send = null;
        var open = new TaskCompletionSource();
        var reading = ReadSseAsync($"/api/sessions/{sessionId}/events", watched: () => send, opened: open.SetResult);
        // Sent once the stream is open, as a page does: the session has its follower, so the reply is streamed.
        await open.Task.WaitAsync(TimeSpan.FromSeconds(30));
        send = fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "live" });
        var frames = await reading;
        var turn = await (await send).JsonAsync(HttpStatusCode.OK);

        Assert.True(frames.Count(f => f.Event.Type == SessionEventTypes.Token) > 1, "a followed turn streams its reply token by token");
        // The paced backend takes about half a second for its 30 tokens: the first arrives long before the reply is done.
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => f.Event.Sequence));
        Assert.False(frames.First(f => f.Event.Type == SessionEventTypes.Token).WatchedDone, "the first token arrived while the POST was still running");
        Assert.Equal(turn["reply"].Value<string>("content"),
            string.Concat(frames.Where(f => f.Event.Type == SessionEventTypes.Token).Select(f => f.Event.Delta)));
    }

    [Fact]
    public async Task Resuming_after_events_the_session_no_longer_keeps_gets_410_before_the_stream_starts()
    {
        var sessionId = await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName() }));
        for (var turn = 0; turn < 45; turn++)
        {
            await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = $"turn {turn}" });
        }

        await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}/events?after=1")).ProblemAsync(410, "events_expired");
        var last = (await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}")).JsonAsync(HttpStatusCode.OK)).Value<long>("lastSequence");
        await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}/events?after={last + 5}")).ProblemAsync(400, "validation_failed", "after");
    }

    [Theory]
    [InlineData("/api/sessions/ses_missing/events", 404, "session_not_found")]
    [InlineData("/api/sessions/ses_missing/events?after=-1", 400, "validation_failed")]
    [InlineData("/api/sessions/ses_missing/events?after=abc", 400, "validation_failed")]
    public async Task Bad_event_requests_get_their_status_and_code(string path, int status, string code)
    {
        await (await fixture.Http.GetAsync(path)).ProblemAsync(status, code);
    }

    [Fact]
    public async Task A_consumer_that_falls_far_behind_still_gets_every_event_once_in_order()
    {
        var sessionId = await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName() }));
        var feed = fixture.Grid.Services.GetRequiredService<SessionEventFeed>();
        await using var subscription = await feed.SubscribeAsync($"default/{sessionId}", 0);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var read = new List<long>();
        var events = subscription.ReadAllAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        // Read the first turn live, so what follows must come through the live buffer, not the first catch-up.
        await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "warm up" });
        while (await events.MoveNextAsync())
        {
            read.Add(events.Current.Sequence);
            if (events.Current.EndsTurn)
            {
                break;
            }
        }

        // More events than the subscription buffers, produced while nobody reads. How many events a
        // turn makes depends on how many tokens travel together, so turns go on until there are enough.
        var expected = 0;
        for (var turn = 0; expected - read.Count <= feed.Options.SubscriberBuffer && turn < 200; turn++)
        {
            await fixture.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = $"turn {turn}" });
            expected = (int)(await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}")).JsonAsync(HttpStatusCode.OK)).Value<long>("lastSequence");
        }

        Assert.True(expected - read.Count > feed.Options.SubscriberBuffer, $"the test needs more than {feed.Options.SubscriberBuffer} unread events; it made {expected - read.Count}");
        while (read.Count < expected && await events.MoveNextAsync())
        {
            read.Add(events.Current.Sequence);
        }

        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), read);
        await events.DisposeAsync();
    }
}
