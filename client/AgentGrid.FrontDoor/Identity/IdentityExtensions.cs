using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

public static class IdentityExtensions
{
    /// <summary>API-key authentication with its cache and failure limiter, the API request limits, new keys' and tenants' default limits, the role policies, and the first admin key.</summary>
    public static IServiceCollection AddAgentGridIdentity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<KeyHasher>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<KeyLookup>();
        services.AddSingleton<HubTickets>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddOptions<ApiLimitsOptions>().BindConfiguration(ApiLimitsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiLimitsOptions>, ApiLimitsOptionsValidator>();
        services.AddSingleton<ApiRequestLimiter>();
        services.AddOptions<DefaultLimitsOptions>().BindConfiguration(DefaultLimitsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DefaultLimitsOptions>, DefaultLimitsOptionsValidator>();
        services.AddSingleton<StreamSlots>();
        services.AddSingleton<IdentityBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<IdentityBootstrap>());
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddAgentGridPolicies();
        return services;
    }

    public static IEndpointRouteBuilder MapAgentGridIdentity(this IEndpointRouteBuilder routes)
    {
        routes.MapKeysApi();
        routes.MapTenantsApi();
        routes.MapHubTicketsApi();
        return routes;
    }
}
