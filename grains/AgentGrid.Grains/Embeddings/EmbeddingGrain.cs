using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Usage;
using AgentGrid.Embeddings;
using AgentGrid.Inference.Tokens;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Embeddings;

/// <summary>
/// Runs an embedding model — the built-in one in process, a configured one over HTTP — metered like every model call
/// (limits, budgets, the usage ledger). Tokens are the built-in model's own count, or an estimate for configured backends.
/// </summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class EmbeddingGrain(EmbeddingModelCatalog models, ModelMeter meter) : Grain, IEmbeddingGrain
{
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request)
    {
        if (!models.Contains(request.Model))
        {
            throw new AgentGridException(ErrorCodes.ModelNotFound,
                $"'{request.Model}' is not an embedding model of this grid; GET /v1/models lists them ({EmbeddingModels.Local} is built in).", "model");
        }

        var local = models.IsLocal(request.Model);
        IEmbeddingGenerator<string, Embedding<float>> generator = local ? models.Local : models.Remote(request.Model);
        var tokens = local
            ? request.Inputs.Sum(i => (long)models.Local.Tokenize(i).Count)
            : request.Inputs.Sum(i => (long)TokenCounter.Estimate(i));
        var call = new MeteredCall(request.Caller, request.Model, null, MeteredCall.Embedding);
        var embeddings = await meter.MeterAsync(call, tokens, () => GenerateAsync(generator, request.Inputs));
        var expected = models.DimensionsOf(request.Model);
        if (embeddings.Count != request.Inputs.Count || embeddings.Any(e => e.Vector.Length != expected))
        {
            throw new AgentGridException(ErrorCodes.ModelRejected,
                $"'{request.Model}' answered with vectors that are not {request.Inputs.Count} of {expected} dimensions; check its Dimensions setting.");
        }

        return new EmbeddingResult(request.Model, [.. embeddings.Select(e => e.Vector.ToArray())], tokens);
    }

    public Task<IReadOnlyList<EmbeddingModel>> ModelsAsync() =>
        Task.FromResult<IReadOnlyList<EmbeddingModel>>([.. models.Models.Select(m => new EmbeddingModel(m.Name, m.Dimensions))]);

    private static async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> inputs)
    {
        try
        {
            return await generator.GenerateAsync(inputs);
        }
        catch (System.ClientModel.ClientResultException e) when (e.Status is >= 400 and < 500 and not 408 and not 429)
        {
            throw new AgentGridException(ErrorCodes.ModelRejected, $"The embedding backend refused the request (HTTP {e.Status}).");
        }
        catch (Exception e) when (e is System.ClientModel.ClientResultException or HttpRequestException or TaskCanceledException)
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable, "The embedding backend did not answer; try again.") { RetryAfterSeconds = 5 };
        }
    }
}
