using AgentGrid.Grains.Outbound;

namespace AgentGrid.Tests.Outbound;

public sealed class OutboundOptionsValidatorTests
{
    private readonly OutboundOptionsValidator _validator = new();

    [Fact]
    public void Defaults_are_valid()
    {
        var result = _validator.Validate(null, new OutboundOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Allow_lists_of_networks_and_hosts_are_valid()
    {
        var options = new OutboundOptions
        {
            AllowedNetworks = ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8"],
            AllowedHosts = ["internal.example.com"],
            MaxRedirects = 0,
        };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new OutboundOptions
        {
            AllowedNetworks = ["10.0.0.0/8", "not-a-network", "10.0.0.1/8", "127.0.0.1", "10.0.0.0/33"],
            AllowedHosts = [" "],
            MaxResponseBytes = 0,
            Timeout = TimeSpan.Zero,
            MaxRedirects = 21,
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(8, failures.Count);
        Assert.Contains(failures, f => f.Contains("'not-a-network'"));
        Assert.Contains(failures, f => f.Contains("'10.0.0.1/8'"));
        Assert.Contains(failures, f => f.Contains("'127.0.0.1'"));
        Assert.Contains(failures, f => f.Contains("'10.0.0.0/33'"));
        Assert.Contains(failures, f => f.Contains("AgentGrid:Outbound:AllowedHosts"));
        Assert.Contains(failures, f => f.Contains("AgentGrid:Outbound:MaxResponseBytes"));
        Assert.Contains(failures, f => f.Contains("AgentGrid:Outbound:Timeout"));
        Assert.Contains(failures, f => f.Contains("AgentGrid:Outbound:MaxRedirects"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void Redirect_limits_outside_zero_to_twenty_are_refused(int maxRedirects)
    {
        var result = _validator.Validate(null, new OutboundOptions { MaxRedirects = maxRedirects });

        Assert.Contains("AgentGrid:Outbound:MaxRedirects", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Negative_sizes_and_timeouts_are_refused()
    {
        var result = _validator.Validate(null, new OutboundOptions { MaxResponseBytes = -5, Timeout = TimeSpan.FromSeconds(-1) });

        Assert.Equal(2, result.Failures!.Count());
    }
}
