using System.Collections.Concurrent;
using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Finds the record of a presented key through its keyed hash, remembering answers for
/// <see cref="AuthOptions.KeyCacheTime"/> so that the key's grain is not on every request's path.
/// </summary>
public sealed class KeyDirectory(IGrainFactory grains, KeyHasher hasher, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<ApiKey?> AuthenticateAsync(string presented)
    {
        if (presented.Length is < 16 or > 512)
        {
            return null;
        }

        var hash = hasher.Hash(presented);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Key.IsUsableAt(now) ? cached.Key : null;
        }

        var key = await grains.GetGrain<IApiKeyGrain>(hash).AuthenticateAsync();
        // Only keys that exist are remembered: a key registered a moment later (the bootstrap key while the grid
        // starts) must work at once.
        if (key is not null && options.Value.KeyCacheTime > TimeSpan.Zero)
        {
            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }

            _cache[hash] = (key, now + options.Value.KeyCacheTime);
        }

        return key;
    }

    /// <summary>Forgets every remembered answer (after a key was revoked here).</summary>
    public void Forget() => _cache.Clear();
}
