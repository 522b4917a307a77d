using System.Net;
using System.Net.Sockets;

namespace AgentGrid.Grains.Outbound;

/// <summary>
/// Decides whether an outbound call may connect to an address: only globally routable unicast addresses, unless an
/// operator allow-listed the network. Loopback, private, CGNAT, link-local (cloud metadata included), unique-local,
/// multicast, reserved and documentation ranges are refused, as are IPv6 forms that carry an IPv4 address that would
/// be refused.
/// </summary>
/// <remarks>
/// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20) are refused: nothing
/// legitimate answers there, so refusing keeps this a plain "not on the public internet" list.
/// </remarks>
public sealed class AddressPolicy
{
    private static readonly IPNetwork[] RefusedIPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network", 0.0.0.0 included
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("168.63.129.16/32"), // Azure's wireserver (VM agent, DNS, metadata), reachable from every Azure VM
        IPNetwork.Parse("169.254.0.0/16"),  // link-local: 169.254.169.254 cloud metadata
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),  // 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, 255.255.255.255 included
    ];

    private static readonly IPNetwork[] RefusedIPv6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("64:ff9b:1::/48"),  // local-use NAT64: the IPv4 part may sit anywhere
        IPNetwork.Parse("100::/64"),        // discard-only
        IPNetwork.Parse("2001::/32"),       // Teredo: the embedded IPv4 is obfuscated
        IPNetwork.Parse("2001::/23"),       // IETF protocol assignments (benchmarking, ORCHID)
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("3fff::/20"),
        IPNetwork.Parse("fc00::/7"),        // unique-local: fd00:ec2::254 AWS metadata
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),       // deprecated site-local
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly IPNetwork[] _allowed;

    /// <summary>A policy that also allows the given networks.</summary>
    public AddressPolicy(IEnumerable<IPNetwork> allowedNetworks) => _allowed = [.. allowedNetworks];

    /// <summary>The policy with nothing allow-listed.</summary>
    public static AddressPolicy Default { get; } = new([]);

    /// <summary>The policy for validated options (see <see cref="OutboundOptionsValidator"/>).</summary>
    public static AddressPolicy FromOptions(OutboundOptions options) =>
        new(options.AllowedNetworks.Select(network => IPNetwork.Parse(network)));

    /// <summary>True when an outbound call may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        var embedded = EmbeddedIPv4(address);
        if (IsAllowListed(address) || (embedded is not null && IsAllowListed(embedded)))
        {
            return true;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !IsIn(RefusedIPv4, address),
            AddressFamily.InterNetworkV6 => !IsIn(RefusedIPv6, address) && (embedded is null || !IsIn(RefusedIPv4, embedded)),
            _ => false,
        };
    }

    private bool IsAllowListed(IPAddress address) => IsIn(_allowed, address);

    private static bool IsIn(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The IPv4 address that an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 address leads to.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (IPv4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
