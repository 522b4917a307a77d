using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Identity;

/// <summary><c>POST /api/hub-tickets</c>: a ticket that opens the hub for a short while (<see cref="HubTickets"/>).</summary>
public static class HubTicketEndpoints
{
    public static RouteHandlerBuilder MapHubTicketsApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/hub-tickets", Issue).WithTags("Keys").WithName("CreateHubTicket")
            .WithSummary("A short-lived ticket to open /hubs with, in place of the key in a query string.")
            .RequireAuthorization(Policies.Reader);

    public static Ok<HubTicket> Issue(HttpContext context, HubTickets tickets)
    {
        // Only a key is looked up under a hash; the metrics token has none and no reader policy either.
        var (ticket, expiresAt) = tickets.Issue(CallerClaims.KeyHashOf(context.User)
            ?? throw new InvalidOperationException("A key-authenticated request carries its key's hash."));
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new HubTicket(ticket, expiresAt));
    }
}

/// <summary>A hub ticket and when it stops opening the hub.</summary>
public sealed record HubTicket(string Ticket, DateTimeOffset ExpiresAt);
