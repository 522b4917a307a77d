using System.Runtime.CompilerServices;
using System.Security.Claims;
using AgentGrid.Contracts.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Finds the record of a presented key through its keyed hash. A string without a key's shape (<see cref="KeyShape"/>)
/// is refused before it is hashed. Answers are remembered so that a key's grain is not on every request's path: usable
/// keys for <see cref="AuthOptions.KeyCacheTime"/>, unknown ones for <see cref="AuthOptions.UnknownKeyCacheTime"/>
/// (once the admin key exists: before, the bootstrap key may be asked for a moment early). Known and unknown keys are
/// kept in two LRU caches of <see cref="AuthOptions.KeyCacheEntries"/> each, so a flood of guesses never evicts a good key.
/// </summary>
public sealed class KeyLookup
{
    private readonly IGrainFactory _grains;
    private readonly KeyHasher _hasher;
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly IdentityBootstrap _bootstrap;
    private readonly AuthMetrics _metrics;
    private readonly LruCache<string, ApiKey> _known;
    private readonly LruCache<string, bool> _unknown;

    public KeyLookup(IGrainFactory grains, KeyHasher hasher, IOptions<AuthOptions> options, TimeProvider time, IdentityBootstrap bootstrap, AuthMetrics metrics)
    {
        (_grains, _hasher, _options, _time, _bootstrap, _metrics) = (grains, hasher, options.Value, time, bootstrap, metrics);
        _known = new LruCache<string, ApiKey>(_options.KeyCacheEntries, time);
        _unknown = new LruCache<string, bool>(_options.KeyCacheEntries, time);
    }

    /// <summary>
    /// The presented key's record and the hash it was found under, or null if it is not a usable key. With
    /// <paramref name="knownOnly"/> (its sender's address is throttled) no grain is asked unless this front door has
    /// seen the key valid before: a known key still gets in, a guess costs nothing.
    /// </summary>
    public async Task<(ApiKey Key, string Hash)?> AuthenticateAsync(string presented, bool knownOnly = false)
    {
        if (!KeyShape.IsWellFormed(presented))
        {
            return null;
        }

        var hash = _hasher.Hash(presented);
        return await FindAsync(hash, knownOnly) is { } key ? (key, hash) : null;
    }

    /// <summary>The usable key found under a keyed hash (a hub ticket names one), or null.</summary>
    public Task<ApiKey?> FindByHashAsync(string hash, bool knownOnly = false) => FindAsync(hash, knownOnly);

    /// <summary>
    /// Whether the key a connection authenticated with is still usable: long-lived connections (SignalR, SSE) ask
    /// again, so a revoked or expired key stops working on them too, within <see cref="AuthOptions.KeyCacheTime"/>.
    /// </summary>
    public async Task<bool> StillValidAsync(ClaimsPrincipal user) =>
        CallerClaims.KeyHashOf(user) is not { } hash || await FindAsync(hash, knownOnly: false) is not null;

    /// <summary>The items of <paramref name="source"/> while the connection's key stays valid; then the stream ends.</summary>
    public async IAsyncEnumerable<T> WhileValidAsync<T>(IAsyncEnumerable<T> source, ClaimsPrincipal user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var checkAt = _time.GetUtcNow() + _options.KeyCacheTime;
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            if (_time.GetUtcNow() >= checkAt)
            {
                if (!await StillValidAsync(user))
                {
                    yield break;
                }

                checkAt = _time.GetUtcNow() + _options.KeyCacheTime;
            }

            yield return item;
        }
    }

    /// <summary>Forgets what is remembered under a hash (a key was just made with it).</summary>
    public void Forget(string hash)
    {
        _known.Remove(hash);
        _unknown.Remove(hash);
    }

    /// <summary>Forgets a key by its id (it was just revoked here), so the revocation takes effect at once.</summary>
    public void ForgetKey(string keyId) => _known.RemoveWhere(key => key.Id == keyId);

    private async Task<ApiKey?> FindAsync(string hash, bool knownOnly)
    {
        if (_known.TryGet(hash, out var known))
        {
            _metrics.CacheHit();
            return known.IsUsableAt(_time.GetUtcNow()) ? known : null;
        }

        if (_unknown.TryGet(hash, out _))
        {
            _metrics.CacheHit();
            return null;
        }

        // A known key's entry outlives its cache time until it is evicted: such a key may still be looked up again.
        if (knownOnly && !_known.Holds(hash))
        {
            return null;
        }

        _metrics.CacheMiss();
        var key = await _grains.GetGrain<IApiKeyGrain>(hash).AuthenticateAsync();
        if (key is not null)
        {
            _unknown.Remove(hash);
            _known.Set(hash, key, _options.KeyCacheTime);
        }
        else
        {
            _known.Remove(hash);
            // Unknown keys only once the bootstrap key is registered: until then it may be asked for a moment early.
            if (_bootstrap.IsDone && _options.UnknownKeyCacheTime > TimeSpan.Zero)
            {
                _unknown.Set(hash, true, _options.UnknownKeyCacheTime);
            }
        }

        return key;
    }
}
