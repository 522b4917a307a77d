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

    public async ValueTask<bool> ContainsAsync(string name) => (await KindOfAsync(name)) is not null;

    /// <summary>Whether <paramref name="name"/> is a model profile (served by its pool's workers).</summary>
    public async ValueTask<bool> IsProfileAsync(string name) => (await KindOfAsync(name)) == Kind.Profile;

    private async ValueTask<Kind?> KindOfAsync(string name)
    {
        var kept = Volatile.Read(ref _kept);
        if (kept is not null && kept.Until > time.GetUtcNow() && kept.Names.TryGetValue(name, out var known))
        {
            return known;
        }

        var list = await grains.GetGrain<IModelDirectoryGrain>(0).NamesAsync();
        var names = new Dictionary<string, Kind>(StringComparer.Ordinal);
        foreach (var endpoint in list.Endpoints)
        {
            names[endpoint] = Kind.Endpoint;
        }

        foreach (var profile in list.Profiles)
        {
            names.TryAdd(profile, Kind.Profile);
        }

        Volatile.Write(ref _kept, new Kept(names, time.GetUtcNow() + Staleness));
        return names.TryGetValue(name, out var kind) ? kind : null;
    }

    private enum Kind
    {
        Endpoint,
        Profile,
    }

    private sealed record Kept(Dictionary<string, Kind> Names, DateTimeOffset Until);
}
