using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.FrontDoor.Mcp;

public static class McpExtensions
{
    /// <summary>An MCP server over stateless streamable HTTP: each request stands alone, so any front door answers it.</summary>
    public static IServiceCollection AddAgentGridMcp(this IServiceCollection services)
    {
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "AgentGrid", Version = "1.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<AgentGridMcpTools>();
        return services;
    }

    /// <summary>Maps <c>/mcp</c>, for members' keys (a conversation writes).</summary>
    public static IEndpointConventionBuilder MapAgentGridMcp(this IEndpointRouteBuilder routes) =>
        routes.MapMcp("/mcp").RequireAuthorization(Policies.Member);
}
