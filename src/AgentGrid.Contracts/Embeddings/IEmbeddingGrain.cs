using AgentGrid.Contracts.Identity;

namespace AgentGrid.Contracts.Embeddings;

/// <summary>
/// Embeds texts with an embedding model next to it. A stateless worker: any silo serves a request, several at once,
/// so embedding scales with the silos rather than through one activation.
/// </summary>
[Alias("agentgrid.IEmbeddingGrain")]
public interface IEmbeddingGrain : IGrainWithIntegerKey
{
    /// <summary><c>model_not_found</c> for a model that is not an embedding model of this grid.</summary>
    [Alias("embed")] Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request);

    /// <summary>The embedding models of this grid: the built-in one and every configured backend.</summary>
    [Alias("models")] Task<IReadOnlyList<EmbeddingModel>> ModelsAsync();
}

[GenerateSerializer, Immutable, Alias("agentgrid.embedding-model")]
public sealed record EmbeddingModel([property: Id(0)] string Name, [property: Id(1)] int Dimensions);

[GenerateSerializer, Immutable, Alias("agentgrid.embedding-request")]
public sealed record EmbeddingRequest
{
    [Id(0)] public required string Model { get; init; }
    [Id(1)] public required IReadOnlyList<string> Inputs { get; init; }
    [Id(2)] public required Caller Caller { get; init; }
}

/// <summary>One vector per input, in order, and the tokens the model read.</summary>
[GenerateSerializer, Immutable, Alias("agentgrid.embedding-result")]
public sealed record EmbeddingResult([property: Id(0)] string Model, [property: Id(1)] IReadOnlyList<float[]> Vectors, [property: Id(2)] long InputTokens);

/// <summary>The embedding models every silo has: the local one needs nothing configured.</summary>
public static class EmbeddingModels
{
    public const string Local = "all-MiniLM-L6-v2";

    /// <summary>Texts one request may embed.</summary>
    public const int MaxInputs = 2048;

    /// <summary>Characters one text may have; the model reads at most its first 256 tokens of it.</summary>
    public const int MaxInputLength = 32_000;
}
