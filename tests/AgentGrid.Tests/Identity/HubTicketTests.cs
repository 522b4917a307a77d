using System.Net;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.Identity;

/// <summary>Browsers open the hub with a short-lived ticket (<c>POST /api/hub-tickets</c>), never with a key in the query string.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class HubTicketTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task A_key_in_the_query_string_is_refused_and_a_ticket_there_opens_the_hub()
    {
        var member = await fixture.Http.CreateKeyAsync("member");
        using var anonymous = fixture.Grid.Client(null);

        var refused = await anonymous.PostAsync($"/hubs/chat/negotiate?negotiateVersion=1&access_token={member}", null);
        var problem = await refused.ProblemAsync(401, "unauthenticated");
        Assert.Contains("query strings", problem.Value<string>("detail"));

        var ticket = await TicketAsync(member);
        Assert.StartsWith(HubTickets.Prefix, ticket.Value<string>("ticket"));
        Assert.True(ticket.Value<DateTimeOffset>("expiresAt") <= DateTimeOffset.UtcNow.AddSeconds(61));
        var agentId = await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName("ticketed") });
        var session = await fixture.Grid.Client(member).OpenSessionAsync(agentId);
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"{fixture.Grid.Address}hubs/chat?access_token={ticket.Value<string>("ticket")}", HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .Build();
        await hub.StartAsync();
        var turn = await hub.InvokeAsync<System.Text.Json.Nodes.JsonObject>("SendMessage", session, "over a ticket");
        Assert.False(string.IsNullOrEmpty(turn["reply"]!.Value<string>("content")));
    }

    [Fact]
    public async Task A_ticket_opens_nothing_but_the_hub()
    {
        var ticket = (await TicketAsync(await fixture.Http.CreateKeyAsync("admin"))).Value<string>("ticket");
        using var withTicket = fixture.Grid.Client(ticket);

        await (await withTicket.GetAsync("/api/agents")).ProblemAsync(401, "unauthenticated");
        await (await withTicket.PostAsync("/api/hub-tickets", null)).ProblemAsync(401, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await withTicket.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_keys_tickets_no_longer_open_the_hub()
    {
        var key = await fixture.Http.CreateKeyAsync("reader");
        var ticket = (await TicketAsync(key)).Value<string>("ticket");
        var keyId = (await fixture.Grid.Client(key).GetFromJsonNodeAsync("/api/me")).Value<string>("id");

        (await fixture.Http.DeleteAsync($"/api/keys/{keyId}")).EnsureSuccessStatusCode();

        using var anonymous = fixture.Grid.Client(null);
        var refused = await anonymous.PostAsync($"/hubs/chat/negotiate?negotiateVersion=1&access_token={ticket}", null);
        Assert.Contains("hub ticket", (await refused.ProblemAsync(401, "unauthenticated")).Value<string>("detail"));
    }

    [Fact]
    public void A_ticket_holds_on_every_front_door_with_the_grids_secret_until_it_expires_and_not_a_bit_changed()
    {
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var clock = new ManualClock();
        var issuer = Tickets(secret, clock);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var (ticket, expiresAt) = issuer.Issue(hash);

        Assert.Equal(clock.GetUtcNow().AddMinutes(1), expiresAt);
        Assert.Equal(hash, Tickets(secret, clock).KeyHashOf(ticket));
        Assert.Null(Tickets(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), clock).KeyHashOf(ticket));
        var flipped = ticket[..^3] + (ticket[^3] == 'A' ? 'B' : 'A') + ticket[^2..];
        Assert.Null(issuer.KeyHashOf(flipped));
        Assert.Null(issuer.KeyHashOf(ticket + "A"));
        Assert.Null(issuer.KeyHashOf(HubTickets.Prefix));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(hash, issuer.KeyHashOf(ticket));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(issuer.KeyHashOf(ticket));
    }

    private static HubTickets Tickets(string secret, TimeProvider clock)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AuthOptions { HashKey = secret });
        return new HubTickets(new KeyHasher(options), options, clock);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> TicketAsync(string key) =>
        await (await fixture.Grid.Client(key).PostAsync("/api/hub-tickets", null)).JsonAsync(HttpStatusCode.OK);
}
