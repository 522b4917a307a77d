using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model catalog, invoker and probe from <c>AgentGrid:Inference</c>, and the
    /// in-process simulator when no model is configured (or it is asked for).
    /// </summary>
    public static IServiceCollection AddAgentGridInference(this IServiceCollection services, IConfiguration configuration)
    {
        // Loaded on first use (about 90 MB and a second): silos that never embed never load it.
        services.AddSingleton(_ => new Lazy<Embeddings.MiniLmEmbeddingGenerator>(() => new Embeddings.MiniLmEmbeddingGenerator()));
        services.AddSingleton<Embeddings.EmbeddingModelCatalog>();
        var section = configuration.GetSection(InferenceOptions.SectionName);
        services.AddOptions<InferenceOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();

        var probe = section.Get<InferenceOptions>() ?? new InferenceOptions();
        if (probe.SimulatorEnabled)
        {
            services.AddSingleton<EmbeddedSimulator>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedSimulator>());
        }

        services.AddSingleton(sp => new ModelCatalog(
            sp.GetRequiredService<IOptions<InferenceOptions>>(), sp.GetService<EmbeddedSimulator>()));
        services.AddSingleton<ChatModelInvoker>();
        services.AddSingleton<EndpointClients>();
        services.AddOptions<Profiles.ProfileOptions>().Bind(configuration.GetSection("AgentGrid:Profiles"));
        services.AddSingleton<Profiles.ProfileCatalog>();
        services.AddHttpClient<ModelProbe>();
        return services;
    }
}
