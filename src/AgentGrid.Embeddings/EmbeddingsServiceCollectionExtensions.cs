using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>The embedding models: the built-in all-MiniLM-L6-v2 and the backends of <c>AgentGrid:Inference:Embeddings</c>.</summary>
    public static IServiceCollection AddAgentGridEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddingOptions>().Bind(configuration.GetSection(EmbeddingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>();
        // Loaded on first use (about 90 MB and a second): silos that never embed never load it.
        services.AddSingleton(_ => new Lazy<MiniLmEmbeddingGenerator>(() => new MiniLmEmbeddingGenerator()));
        services.AddSingleton<EmbeddingModelCatalog>();
        return services;
    }
}
