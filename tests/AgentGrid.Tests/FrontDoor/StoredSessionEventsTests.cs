using System.Net;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>What a session replays once it comes back from storage: every event but the tokens, whose reply the completed event carries.</summary>
public sealed class StoredSessionEventsTests
{
    [Fact]
    public async Task After_a_restart_a_turn_replays_as_accepted_then_completed_with_the_whole_reply()
    {
        using var data = new TempDirectory();
        string session, reply;
        await using (var first = await EmbeddedGrid.StartAsync(data.Path))
        {
            session = await first.Http.OpenSessionAsync(await first.Http.CreateAgentAsync(new { name = "stored" }));
            // Followed live, so the reply streams as several token events, whose numbers are then a gap in the stored log.
            var open = new TaskCompletionSource();
            var following = SessionEventStream.ReadTurnAsync(first.Http, $"/api/sessions/{session}/events", opened: open.SetResult);
            await open.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var turn = await (await first.Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "hello" })).JsonAsync(HttpStatusCode.OK);
            reply = turn["reply"].Value<string>("content");
            Assert.True((await following).Count(f => f.Event.Type == SessionEventTypes.Token) > 1);
        }

        await using var second = await EmbeddedGrid.StartAsync(data.Path);
        var events = await ReplayAsync(second.Http, session);

        Assert.Equal([SessionEventTypes.MessageAccepted, SessionEventTypes.MessageCompleted], events.Select(e => e.Type));
        Assert.Equal(reply, events[^1].Message!.Content);
        // The tokens' sequence numbers stay taken: nothing after them reuses one.
        Assert.True(events[^1].Sequence > events[0].Sequence + 2);

        // A client that saw the accepted event and some tokens before the restart resumes inside the gap: it is no expiry.
        var resumed = await ReplayAsync(second.Http, session, after: events[0].Sequence + 2);
        Assert.Equal([events[^1].Sequence], resumed.Select(e => e.Sequence));
    }

    private static async Task<List<SessionEvent>> ReplayAsync(HttpClient http, string session, long after = 0) =>
        [.. (await SessionEventStream.ReadTurnAsync(http, $"/api/sessions/{session}/events?after={after}")).Select(f => f.Event)];
}
