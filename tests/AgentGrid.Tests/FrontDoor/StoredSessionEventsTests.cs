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
            var turn = await (await first.Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "hello" })).JsonAsync(HttpStatusCode.OK);
            reply = turn["reply"].Value<string>("content");
        }

        await using var second = await EmbeddedGrid.StartAsync(data.Path);
        var events = await ReplayAsync(second.Http, session);

        Assert.Equal([SessionEventTypes.MessageAccepted, SessionEventTypes.MessageCompleted], events.Select(e => e.Type));
        Assert.Equal(reply, events[^1].Message!.Content);
        // The token's sequence number stays taken (nobody watched, so the reply came as one token): nothing reuses it.
        Assert.Equal(events[0].Sequence + 2, events[^1].Sequence);

        // A client that saw the accepted event and the token before the restart resumes: the gap is no expiry.
        var resumed = await ReplayAsync(second.Http, session, after: events[0].Sequence + 1);
        Assert.Equal([events[^1].Sequence], resumed.Select(e => e.Sequence));
    }

    private static async Task<List<SessionEvent>> ReplayAsync(HttpClient http, string session, long after = 0) =>
        [.. (await SessionEventStream.ReadTurnAsync(http, $"/api/sessions/{session}/events?after={after}")).Select(f => f.Event)];
}
