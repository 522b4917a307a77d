using AgentGrid.Grains.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentGrid.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers what the grid's grains depend on, other than storage and inference.</summary>
    public static IServiceCollection AddAgentGridGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentDefinitionValidator>();
        services.AddOptions<Sessions.SessionOptions>()
            .BindConfiguration(Sessions.SessionOptions.SectionName)
            .Validate(o => o.MaxRetainedEvents >= 100, "AgentGrid:Sessions:MaxRetainedEvents must be at least 100.")
            .ValidateOnStart();
        return services;
    }
}
