using AgentGrid.Contracts.Sessions;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class SignalRChatTests(FrontDoorFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private async Task<string> PacedSessionAsync(string model = "paced") =>
        await fixture.Http.OpenSessionAsync(await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName(), model }));

    private static void AssertWholeTurn(IReadOnlyList<SessionEvent> events, ChatTurn turn)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(SessionEventTypes.MessageAccepted, events[0].Type);
        Assert.Equal(SessionEventTypes.MessageCompleted, events[^1].Type);
        Assert.Equal(turn.Reply!.Content, string.Concat(events.Where(e => e.Type == SessionEventTypes.Token).Select(e => e.Delta)));
    }

    [Fact]
    public async Task Two_clients_streaming_one_session_see_the_same_events_in_the_same_order()
    {
        var sessionId = await PacedSessionAsync();
        await using var first = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        await using var second = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var completed = (Func<SessionEvent, bool>)(e => e.EndsTurn);

        var a = first.ReadUntilAsync(sessionId, 0, completed, Timeout);
        var b = second.ReadUntilAsync(sessionId, 0, completed, Timeout);
        var turn = await first.InvokeAsync<ChatTurn>("SendMessage", sessionId, "Stream to both of us");

        var (eventsA, eventsB) = (await a, await b);
        Assert.Equal(eventsA, eventsB);
        AssertWholeTurn(eventsA, turn);
    }

    [Fact]
    public async Task A_client_that_drops_mid_reply_and_resumes_from_its_last_sequence_gets_every_event_exactly_once()
    {
        var sessionId = await PacedSessionAsync("trickle");
        await using var sender = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var dropping = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);

        // The trickling backend takes seconds for its reply; the client drops at its first token.
        var seenBeforeDrop = dropping.ReadUntilAsync(sessionId, 0, e => e.Type == SessionEventTypes.Token, Timeout);
        var send = sender.InvokeAsync<ChatTurn>("SendMessage", sessionId, "A long answer, please");
        var before = await seenBeforeDrop;
        await dropping.DisposeAsync();

        await using var resumed = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var after = await resumed.ReadUntilAsync(sessionId, before[^1].Sequence, e => e.EndsTurn, Timeout);

        AssertWholeTurn([.. before, .. after], await send);
    }

    [Fact]
    public async Task CancelTurn_stops_the_reply_and_the_stream_reports_turn_failed_cancelled()
    {
        var sessionId = await PacedSessionAsync("trickle");
        await using var connection = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var running = connection.ReadUntilAsync(sessionId, 0, e => e.Type == SessionEventTypes.Token, Timeout);
        var send = connection.InvokeAsync<ChatTurn>("SendMessage", sessionId, "Stop me");
        await running;

        Assert.True(await connection.InvokeAsync<bool>("CancelTurn", sessionId));

        var error = await Assert.ThrowsAsync<HubException>(() => send);
        Assert.Contains("HubException: turn_cancelled:", error.Message);
        var events = await connection.ReadUntilAsync(sessionId, 0, e => e.EndsTurn, Timeout);
        Assert.Equal("turn_cancelled", events[^1].Code);
        await Eventually.TrueAsync(() => fixture.Trickle.Engine.Running == 0, Timeout, "the backend request to be aborted");
    }

    [Fact]
    public async Task A_sender_that_drops_mid_reply_reconnects_and_gets_the_whole_reply_which_is_stored()
    {
        var sessionId = await PacedSessionAsync("trickle");
        var leaving = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var firstToken = leaving.ReadUntilAsync(sessionId, 0, e => e.Type == SessionEventTypes.Token, Timeout);
        _ = leaving.InvokeAsync<ChatTurn>("SendMessage", sessionId, "I will not wait");
        var before = await firstToken;

        await leaving.DisposeAsync();
        await using var back = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);
        var after = await back.ReadUntilAsync(sessionId, before[^1].Sequence, e => e.EndsTurn, Timeout);

        var events = before.Concat(after).ToList();
        Assert.Equal(SessionEventTypes.MessageCompleted, events[^1].Type);
        Assert.Equal(events.Select(e => e.Sequence).Distinct(), events.Select(e => e.Sequence));
        var stored = await fixture.Http.GetFromJsonNodeAsync($"/api/sessions/{sessionId}/messages");
        Assert.Equal(events[^1].Message!.Content, stored[1].Value<string>("content"));
        Assert.Equal(stored[1].Value<string>("content"), string.Concat(events.Where(e => e.Type == SessionEventTypes.Token).Select(e => e.Delta)));
    }

    [Fact]
    public async Task Streaming_an_unknown_session_fails_with_session_not_found()
    {
        await using var connection = await ChatHubClient.ConnectAsync(fixture.Grid.Address, fixture.Grid.AdminKey);

        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.ReadUntilAsync("ses_missing", 0, _ => true, Timeout));
        Assert.Contains("HubException: session_not_found:", error.Message);
        var send = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<ChatTurn>("SendMessage", "bad/id", "hi"));
        Assert.Contains("HubException: session_not_found:", send.Message);
    }
}
