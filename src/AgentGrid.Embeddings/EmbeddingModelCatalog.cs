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
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "agentgrid-no-key" : key), new OpenAIClientOptions
        {
            Endpoint = new Uri(endpoint.BaseUrl.TrimEnd('/')),
            NetworkTimeout = endpoint.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        // No dimensions sent: models without variable-length embeddings refuse the parameter. The length is checked on receipt.
        return client.GetEmbeddingClient(endpoint.Model ?? name).AsIEmbeddingGenerator();
    }
}
