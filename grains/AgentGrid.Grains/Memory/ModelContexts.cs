using System.Collections.Concurrent;
using System.Globalization;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Tokens;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Memory;

/// <summary>A model's context window and how to count its tokens (<see cref="Encoding"/> null: estimated).</summary>
public sealed record ModelContext(int ContextLength, string? Encoding);

/// <summary>
/// Where a model's context window comes from: <c>AgentGrid:Inference:Models:&lt;name&gt;:ContextLength</c>, else the
/// <c>max_model_len</c> or <c>max_total_tokens</c> parameter of its profile (looked up at most once a minute per
/// model and silo), else <c>AgentGrid:Inference:ContextLength</c>.
/// </summary>
public sealed class ModelContexts(IOptions<InferenceOptions> inference, EndpointCatalog catalog, IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(1);
    private static readonly string[] ContextParameters = ["max_model_len", "max_total_tokens", "max_context_length"];
    private readonly ConcurrentDictionary<string, (ModelContext Context, DateTimeOffset Until)> _profiles = new(StringComparer.Ordinal);

    public async ValueTask<ModelContext> OfAsync(string model)
    {
        var options = inference.Value;
        if (options.Models.TryGetValue(model, out var endpoint))
        {
            return new ModelContext(endpoint.ContextLength ?? options.ContextLength, TokenCounter.EncodingFor(endpoint.Tokenizer, endpoint.Model ?? model));
        }

        if (catalog.Contains(model))
        {
            return new ModelContext(options.ContextLength, null);
        }

        var now = time.GetUtcNow();
        if (_profiles.TryGetValue(model, out var known) && known.Until > now)
        {
            return known.Context;
        }

        var profile = await grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(model);
        var length = profile is null ? null : ContextParameters
            .Select(p => profile.Parameters.TryGetValue(p, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 256 ? n : (int?)null)
            .FirstOrDefault(n => n is not null);
        var context = new ModelContext(length ?? options.ContextLength, profile is null ? null : TokenCounter.EncodingFor(null, profile.Source.ModelId));
        _profiles[model] = (context, now + Memory);
        return context;
    }
}
