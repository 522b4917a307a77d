using System.Net;
using AgentGrid.FrontDoor.Identity;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Identity;

public sealed class AuthFailureLimiterTests
{
    private static AuthFailureLimiter Limiter(int limit) =>
        new(Options.Create(new AuthOptions { FailureLimit = limit, FailureWindow = TimeSpan.FromMinutes(1) }));

    private static string ClientOf(string address) => AuthFailureLimiter.ClientOf(IPAddress.Parse(address));

    [Fact]
    public void An_address_that_failed_its_limit_is_throttled_for_the_window_and_another_address_is_not()
    {
        using var limiter = Limiter(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.ThrottledFor("203.0.113.5"));
            limiter.Failed("203.0.113.5");
        }

        Assert.Equal(TimeSpan.FromMinutes(1), limiter.ThrottledFor("203.0.113.5"));
        Assert.Null(limiter.ThrottledFor("203.0.113.6"));
    }

    [Fact]
    public void IPv6_addresses_of_one_64_count_as_one_client_and_IPv4_mapped_ones_as_their_IPv4_address()
    {
        Assert.Equal(ClientOf("2001:db8:1:2::1"), ClientOf("2001:db8:1:2:ffff::9"));
        Assert.NotEqual(ClientOf("2001:db8:1:2::1"), ClientOf("2001:db8:1:3::1"));
        Assert.Equal("203.0.113.5", ClientOf("::ffff:203.0.113.5"));
        Assert.Equal("unknown", AuthFailureLimiter.ClientOf(null));
    }
}
