using AgentGrid.Contracts.Models;

namespace AgentGrid.FrontDoor.Models;

/// <summary>
/// The names a request may give as its model (configured models and model profiles), kept by the front door for up to
/// <see cref="Staleness"/>. A name not among those kept is looked up again at once, so a new profile answers at once
/// and a removed one is accepted for at most <see cref="Staleness"/> (its call then fails as the pool is gone).
/// </summary>
public sealed class ModelNames(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);

    private Kept? _kept;

    public async ValueTask<bool> ContainsAsync(string name)
    {
        var kept = Volatile.Read(ref _kept);
        if (kept is not null && kept.Until > time.GetUtcNow() && kept.Names.Contains(name))
        {
            return true;
        }

        var names = (await grains.GetGrain<IModelCatalogGrain>(0).NamesAsync()).ToHashSet(StringComparer.Ordinal);
        Volatile.Write(ref _kept, new Kept(names, time.GetUtcNow() + Staleness));
        return names.Contains(name);
    }

    private sealed record Kept(HashSet<string> Names, DateTimeOffset Until);
}
