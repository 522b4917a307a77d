using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Embeddings;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Embeddings;

/// <summary>Runs the local embedding model, metered like every model call (limits, budgets, the usage ledger).</summary>
[Orleans.Concurrency.StatelessWorker]
public sealed class EmbeddingGrain(Lazy<MiniLmEmbeddingGenerator> local, ModelMeter meter) : Grain, IEmbeddingGrain
{
    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request)
    {
        if (request.Model != EmbeddingModels.Local)
        {
            throw new AgentGridException(ErrorCodes.ModelNotFound,
                $"'{request.Model}' is not an embedding model of this grid; GET /v1/models lists them ({EmbeddingModels.Local} is built in).", "model");
        }

        var generator = local.Value;
        var tokens = request.Inputs.Sum(i => (long)generator.Tokenize(i).Count);
        var call = new MeteredCall(request.Caller, request.Model, null, MeteredCall.Embedding);
        var embeddings = await meter.MeterAsync(call, tokens, () => generator.GenerateAsync(request.Inputs));
        return new EmbeddingResult(request.Model, [.. embeddings.Select(e => e.Vector.ToArray())], tokens);
    }
}
