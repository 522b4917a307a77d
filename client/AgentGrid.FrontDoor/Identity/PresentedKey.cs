using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>Where a request carries its key: the Bearer header; Basic's password on <c>/dashboard</c>; <c>access_token</c> on <c>/hubs</c>.</summary>
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

        // SignalR clients can send no header on WebSockets and SSE.
        return header.Length == 0 && request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token
            ? token
            : null;
    }

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
