using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
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
public sealed class EmbeddingGrain(EmbeddingModelCatalog models, ModelMeter meter, WorkerEmbeddings workers, TimeProvider clock) : Grain, IEmbeddingGrain
{
    // Embedding profiles, read from the registry at most this often (it is off the request path), per activation.
    private static readonly TimeSpan ProfilesFresh = TimeSpan.FromSeconds(2);
    private (IReadOnlyList<ModelProfile> Profiles, DateTimeOffset At)? _profiles;

    public async Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request)
    {
        if (!models.Contains(request.Model) && (await EmbeddingProfilesAsync()).FirstOrDefault(p => p.Name == request.Model) is { } profile)
        {
            return await EmbedWithWorkersAsync(profile, request);
        }

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

    public async Task<IReadOnlyList<EmbeddingModel>> ModelsAsync() =>
        [.. models.Models.Select(m => new EmbeddingModel(m.Name, m.Dimensions)), .. (await EmbeddingProfilesAsync()).Select(p => new EmbeddingModel(p.Name, p.Dimensions!.Value))];

    private async Task<EmbeddingResult> EmbedWithWorkersAsync(ModelProfile profile, EmbeddingRequest request)
    {
        var tokens = request.Inputs.Sum(i => (long)TokenCounter.Estimate(i));
        var call = new MeteredCall(request.Caller, request.Model, null, MeteredCall.Embedding);
        var affinity = $"{request.Caller.Tenant}/embeddings";
        var embeddings = await meter.MeterAsync(call, tokens, () => workers.EmbedAsync(profile.Name, request.Inputs, affinity));
        if (embeddings.Count != request.Inputs.Count || embeddings.Any(e => e.Vector.Length != profile.Dimensions))
        {
            throw new AgentGridException(ErrorCodes.ModelRejected,
                $"'{request.Model}' answered with vectors that are not {request.Inputs.Count} of {profile.Dimensions} dimensions; check the profile's dimensions.");
        }

        return new EmbeddingResult(request.Model, [.. embeddings.Select(e => e.Vector.ToArray())], embeddings.Usage?.InputTokenCount ?? tokens);
    }

    private async Task<IReadOnlyList<ModelProfile>> EmbeddingProfilesAsync()
    {
        if (_profiles is not { } kept || clock.GetUtcNow() - kept.At > ProfilesFresh)
        {
            var all = await GrainFactory.GetGrain<IProfileRegistryGrain>(0).ListAsync();
            kept = ([.. all.Where(p => p.Can(ModelCapabilities.Embeddings) && p.Dimensions is not null && !models.Contains(p.Name))], clock.GetUtcNow());
            _profiles = kept;
        }

        return kept.Profiles;
    }

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
