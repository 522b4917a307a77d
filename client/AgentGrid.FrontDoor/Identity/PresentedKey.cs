using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Where a request carries its key: the Bearer header; Basic's password on <c>/dashboard</c>; on <c>/hubs</c>, a hub
/// ticket (<see cref="HubTickets"/>) as <c>access_token</c>. A key in a query string is no credential: proxies log
/// query strings.
/// </summary>
public static class PresentedKey
{
    /// <summary>The key the request presents, or null when it presents none.</summary>
    public static string? Of(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        // Basic is there for the dashboard in a browser. A browser sends credentials it remembers by itself, as it does
        // cookies, so elsewhere they could be spent by another site's page: there they count as no credential.
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return request.Path.StartsWithSegments("/dashboard") ? BasicPassword(header[6..].Trim()) : null;
        }

        // Browsers' SignalR clients can send no header on WebSockets and SSE: they send a ticket there, never a key.
        return header.Length == 0 && IsHub(request) && QueryToken(request) is { } token && HubTickets.IsTicket(token)
            ? token
            : null;
    }

    /// <summary>Whether the request tried to pass an API key in the query string (refused, with a hint).</summary>
    public static bool KeyInQuery(HttpRequest request) => QueryToken(request) is { } token && !HubTickets.IsTicket(token);

    /// <summary>The hub's paths, the only ones a ticket opens.</summary>
    public static bool IsHub(HttpRequest request) => request.Path.StartsWithSegments("/hubs");

    private static string? QueryToken(HttpRequest request) => request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;

    private static string? BasicPassword(string encoded)
    {
        if (!KeyHasher.TryDecode(encoded, out var bytes))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        return text.IndexOf(':') is var colon and >= 0 && colon < text.Length - 1 ? text[(colon + 1)..] : null;
    }
}
