using System.Net;
using AgentGrid.Grains.Outbound;

namespace AgentGrid.Tests.Outbound;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("::")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("169.254.0.1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("192.0.0.170")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:a9fe:a9fe::")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001::1")]
    [InlineData("fec0::1")]
    public void Refuses_non_public_addresses_by_default(string address)
    {
        Assert.False(AddressPolicy.Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Allows_public_addresses_by_default(string address)
    {
        Assert.True(AddressPolicy.Default.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3")]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3")]
    [InlineData("127.0.0.1/32", "127.0.0.1")]
    [InlineData("169.254.169.254/32", "169.254.169.254")]
    [InlineData("fd00::/8", "fd00:ec2::254")]
    [InlineData("::1/128", "::1")]
    public void Allow_listed_networks_override_the_refusal(string network, string address)
    {
        var policy = new AddressPolicy([IPNetwork.Parse(network)]);

        Assert.True(policy.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1/32", "127.0.0.2")]
    [InlineData("127.0.0.1/32", "::1")]
    [InlineData("10.0.0.0/8", "192.168.0.1")]
    [InlineData("10.0.0.0/8", "169.254.169.254")]
    public void Allow_listed_networks_leave_other_refused_addresses_refused(string network, string address)
    {
        var policy = new AddressPolicy([IPNetwork.Parse(network)]);

        Assert.False(policy.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void Policy_from_options_uses_the_allowed_networks()
    {
        var policy = AddressPolicy.FromOptions(new OutboundOptions { AllowedNetworks = ["192.168.0.0/16"] });

        Assert.True(policy.IsAllowed(IPAddress.Parse("192.168.7.7")));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.0.1")));
    }
}
