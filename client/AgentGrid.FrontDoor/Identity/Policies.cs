using System.Security.Claims;
using AgentGrid.Contracts.Identity;
using Microsoft.AspNetCore.Authorization;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>The authorization policies every endpoint names one of; each role includes the ones below it.</summary>
public static class Policies
{
    public const string Reader = "agentgrid-reader";
    public const string Member = "agentgrid-member";
    public const string Admin = "agentgrid-admin";

    /// <summary>Admins, or the metrics token.</summary>
    public const string Metrics = "agentgrid-metrics";

    public const string MetricsRole = "metrics";

    public static AuthorizationBuilder AddAgentGridPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Reader, p => p.RequireRole(RoleName(Role.Reader), RoleName(Role.Member), RoleName(Role.Admin)))
        .AddPolicy(Member, p => p.RequireRole(RoleName(Role.Member), RoleName(Role.Admin)))
        .AddPolicy(Admin, p => p.RequireRole(RoleName(Role.Admin)))
        .AddPolicy(Metrics, p => p.RequireRole(RoleName(Role.Admin), MetricsRole))
        // An endpoint that names no policy still needs a key.
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

    public static string RoleName(Role role) => role switch
    {
        Role.Admin => "admin",
        Role.Member => "member",
        _ => "reader",
    };

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(RoleName(Role.Admin));
}
