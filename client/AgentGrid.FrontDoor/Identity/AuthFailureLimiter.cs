using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Counts failed authentications per client (<see cref="ClientOf"/>): <see cref="AuthOptions.FailureLimit"/> in a fixed
/// window of <see cref="AuthOptions.FailureWindow"/>. A client past the limit is throttled until its window ends: it
/// gets <c>429 rate_limited</c> for any credential this front door does not already know to be valid, and no key's
/// grain is asked on its behalf.
/// </summary>
public sealed class AuthFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;

    public AuthFailureLimiter(IOptions<AuthOptions> options)
    {
        var limit = options.Value.FailureLimit;
        _window = options.Value.FailureWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = _window, QueueLimit = 0 }));
    }

    /// <summary>How long <paramref name="client"/> stays throttled (at most a window); null while it may still fail.</summary>
    public TimeSpan? ThrottledFor(string client)
    {
        // Asking for no permit reads the window's state without using one.
        using var lease = _failures.AttemptAcquire(client, 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
    }

    public void Failed(string client) => _failures.AttemptAcquire(client).Dispose();

    /// <summary>
    /// What failures are counted under: an IPv4 address, or the /64 of an IPv6 address (one subscriber's network: a
    /// client that owns one must not get a fresh allowance per address).
    /// </summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }

    public void Dispose() => _failures.Dispose();
}
