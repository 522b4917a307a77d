using System.Collections.Concurrent;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// What a model costs: <c>AgentGrid:Inference:Pricing:&lt;model&gt;</c> first, else the <c>pricing</c> of its profile.
/// Profile prices are looked up in the registry at most once a minute per model and process, never per call.
/// </summary>
public sealed class ModelPrices(IOptions<InferenceOptions> inference, EndpointCatalog catalog, IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (ModelPrice? Price, DateTimeOffset Until)> _profiles = new(StringComparer.Ordinal);

    /// <summary>The model's price, or null when none is configured anywhere.</summary>
    public async ValueTask<ModelPrice?> FindAsync(string model)
    {
        if (inference.Value.Pricing.TryGetValue(model, out var configured))
        {
            return configured;
        }

        if (catalog.Contains(model))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_profiles.TryGetValue(model, out var known) && known.Until > now)
        {
            return known.Price;
        }

        var pricing = (await grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(model))?.Pricing;
        var price = pricing is null ? null : new ModelPrice { InputPerMillionUsd = pricing.InputPerMillionUsd, OutputPerMillionUsd = pricing.OutputPerMillionUsd };
        _profiles[model] = (price, now + Memory);
        return price;
    }
}
