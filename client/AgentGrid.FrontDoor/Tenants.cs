using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor;

/// <summary>The tenant a request acts for: one rule for REST, OpenAI, SSE and SignalR alike.</summary>
public static class Tenants
{
    /// <summary>The tenant of the request's API key: never from a body, query or header.</summary>
    public static string Of(HttpContext? context) => Identity.CallerClaims.TenantOf(context?.User);
}
