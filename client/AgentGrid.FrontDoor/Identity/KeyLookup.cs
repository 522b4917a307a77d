using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Finds the record of a presented key through its keyed hash, remembering answers for
/// <see cref="AuthOptions.KeyCacheTime"/> so that the key's grain is not on every request's path. Unknown keys are
/// remembered for a second once the admin key exists (before, the bootstrap key may be asked for a moment early), so
/// guessing does not cost a grain call per guess; keys made through this front door are known at once.
/// </summary>
public sealed class KeyLookup(IGrainFactory grains, KeyHasher hasher, IOptions<AuthOptions> options, TimeProvider time, IdentityBootstrap bootstrap)
{
    private static readonly TimeSpan UnknownMemory = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (ApiKey? Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The presented key's record and the hash it was found under, or null if it is not a usable key.</summary>
    public async Task<(ApiKey Key, string Hash)?> AuthenticateAsync(string presented)
    {
        if (presented.Length is < 16 or > 512)
        {
            return null;
        }

        var hash = hasher.Hash(presented);
        return await FindAsync(hash) is { } key ? (key, hash) : null;
    }

    /// <summary>
    /// Whether the key a connection authenticated with is still usable: long-lived connections (SignalR, SSE) ask
    /// again, so a revoked or expired key stops working on them too, within <see cref="AuthOptions.KeyCacheTime"/>.
    /// </summary>
    public async Task<bool> StillValidAsync(ClaimsPrincipal user) =>
        CallerClaims.KeyHashOf(user) is not { } hash || await FindAsync(hash) is not null;

    /// <summary>The items of <paramref name="source"/> while the connection's key stays valid; then the stream ends.</summary>
    public async IAsyncEnumerable<T> WhileValidAsync<T>(IAsyncEnumerable<T> source, ClaimsPrincipal user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var checkAt = time.GetUtcNow() + options.Value.KeyCacheTime;
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            if (time.GetUtcNow() >= checkAt)
            {
                if (!await StillValidAsync(user))
                {
                    yield break;
                }

                checkAt = time.GetUtcNow() + options.Value.KeyCacheTime;
            }

            yield return item;
        }
    }

    /// <summary>Forgets every remembered answer (after a key was revoked here).</summary>
    public void Forget() => _cache.Clear();

    private async Task<ApiKey?> FindAsync(string hash)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Key is { } known && known.IsUsableAt(now) ? known : null;
        }

        var key = await grains.GetGrain<IApiKeyGrain>(hash).AuthenticateAsync();
        // Unknown keys only briefly: a key registered a moment later (the bootstrap key while the grid starts) must work soon.
        var memory = key is not null ? options.Value.KeyCacheTime : bootstrap.IsDone ? UnknownMemory : TimeSpan.Zero;
        if (memory > TimeSpan.Zero)
        {
            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }

            _cache[hash] = (key, now + memory);
        }

        return key;
    }
}
