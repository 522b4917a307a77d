using System.Collections.Concurrent;
using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentGrid.Embeddings;

/// <summary>The embedding models of this grid: the built-in all-MiniLM-L6-v2, and each configured OpenAI-compatible backend.</summary>
public sealed class EmbeddingModelCatalog(IOptions<EmbeddingOptions> options, Lazy<MiniLmEmbeddingGenerator> local)
{
    private readonly ConcurrentDictionary<string, Lazy<IEmbeddingGenerator<string, Embedding<float>>>> _remote = new(StringComparer.Ordinal);

    /// <summary>Every embedding model's name and vector length, the built-in one first.</summary>
    public IReadOnlyList<(string Name, int Dimensions)> Models =>
        [(MiniLmEmbeddingGenerator.ModelName, MiniLmEmbeddingGenerator.Dimensions), .. options.Value.Embeddings.Select(e => (e.Key, e.Value.Dimensions))];

    public bool Contains(string name) => name == MiniLmEmbeddingGenerator.ModelName || options.Value.Embeddings.ContainsKey(name);

    public bool IsLocal(string name) => name == MiniLmEmbeddingGenerator.ModelName;

    public int DimensionsOf(string name) => IsLocal(name) ? MiniLmEmbeddingGenerator.Dimensions : options.Value.Embeddings[name].Dimensions;

    public MiniLmEmbeddingGenerator Local => local.Value;

    /// <summary>The generator for a configured backend (not the built-in model).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Remote(string name) =>
        _remote.GetOrAdd(name, n => new Lazy<IEmbeddingGenerator<string, Embedding<float>>>(() => Build(options.Value.Embeddings[n], n))).Value;

    private static IEmbeddingGenerator<string, Embedding<float>> Build(EmbeddingEndpointOptions endpoint, string name)
    {
        var key = endpoint.ApiKeyEnvironmentVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : endpoint.ApiKey;
        return Generator(new Uri(endpoint.BaseUrl.TrimEnd('/')), endpoint.Model ?? name, key, endpoint.Timeout);
    }

    /// <summary>
    /// The one way the grid reaches an OpenAI-compatible embedding server (a configured backend, an embedding profile's worker):
    /// no hidden retries, and no dimensions sent (models without variable-length embeddings refuse the parameter; the length is
    /// checked on receipt).
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Generator(Uri baseUrl, string model, string? apiKey, TimeSpan timeout) =>
        new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "agentgrid-no-key" : apiKey), new OpenAIClientOptions
        {
            Endpoint = baseUrl,
            NetworkTimeout = timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetEmbeddingClient(model).AsIEmbeddingGenerator();
}
