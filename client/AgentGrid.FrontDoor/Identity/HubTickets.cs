using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Identity;

/// <summary>
/// Short-lived tickets that open the hub (<c>/hubs</c>) in place of an API key, so a browser never puts its key in a
/// query string, where proxies log it. A ticket names the keyed hash of the key that asked for it and when it expires
/// (<see cref="AuthOptions.HubTicketTime"/>), signed with a key derived from the grid's hash secret: any front door of
/// the cluster can check it without asking anyone, and it is only as good as its key, which is looked up again (a
/// revoked key's tickets stop at once). A ticket is accepted on <c>/hubs</c> only, and only until it expires.
/// </summary>
public sealed class HubTickets
{
    /// <summary>Tickets start with this, so they are never mistaken for keys (<see cref="KeyHasher.KeyPrefix"/>).</summary>
    public const string Prefix = "aght_";

    private const byte Version = 1;
    private const int HashBytes = 32;
    private const int NonceBytes = 16;
    private const int PayloadBytes = 1 + sizeof(long) + HashBytes + NonceBytes;
    private const int MacBytes = 32;

    private readonly byte[] _signingKey;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public HubTickets(KeyHasher hasher, IOptions<AuthOptions> options, TimeProvider time)
    {
        _signingKey = hasher.DeriveKey("agentgrid/hub-tickets/v1");
        _lifetime = options.Value.HubTicketTime;
        _time = time;
    }

    public static bool IsTicket(string presented) => presented.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A new ticket for the key found under <paramref name="keyHash"/> (hex), and when it stops working.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string keyHash)
    {
        var expiresAt = _time.GetUtcNow() + _lifetime;
        Span<byte> bytes = stackalloc byte[PayloadBytes + MacBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], expiresAt.ToUnixTimeSeconds());
        Convert.FromHexString(keyHash, bytes.Slice(1 + sizeof(long), HashBytes), out _, out _);
        RandomNumberGenerator.Fill(bytes.Slice(1 + sizeof(long) + HashBytes, NonceBytes));
        HMACSHA256.HashData(_signingKey, bytes[..PayloadBytes], bytes[PayloadBytes..]);
        return (Prefix + Base64Url(bytes), DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>The key hash a ticket was issued for, or null when it is malformed, not signed here, or expired.</summary>
    public string? KeyHashOf(string ticket)
    {
        Span<byte> bytes = stackalloc byte[PayloadBytes + MacBytes];
        if (!IsTicket(ticket) || !TryDecodeBase64Url(ticket.AsSpan(Prefix.Length), bytes) || bytes[0] != Version)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_signingKey, bytes[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[PayloadBytes..]))
        {
            return null;
        }

        var expiresAt = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        return _time.GetUtcNow().ToUnixTimeSeconds() < expiresAt ? Convert.ToHexStringLower(bytes.Slice(1 + sizeof(long), HashBytes)) : null;
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeBase64Url(ReadOnlySpan<char> text, Span<byte> into)
    {
        // 89 bytes are 119 characters of unpadded base64url; anything else is not a ticket.
        if (text.Length != (into.Length * 4 + 2) / 3)
        {
            return false;
        }

        var padded = new string(text).Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        return Convert.TryFromBase64String(padded, into, out var written) && written == into.Length;
    }
}
