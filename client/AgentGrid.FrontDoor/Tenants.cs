using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor;

/// <summary>The tenant a request acts for: one rule for REST, OpenAI, SSE and SignalR alike.</summary>
public static class Tenants
{
    /// <summary>Where authentication (to come) puts the caller's tenant.</summary>
    public const string ItemKey = "agentgrid.tenant";

    /// <summary>The request's tenant; every caller is the default tenant until authentication arrives.</summary>
    public static string Of(HttpContext? context) => context?.Items[ItemKey] as string ?? Contracts.GridNames.DefaultTenant;
}
