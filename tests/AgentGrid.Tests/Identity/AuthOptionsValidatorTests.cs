using AgentGrid.FrontDoor.Identity;

namespace AgentGrid.Tests.Identity;

public sealed class AuthOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(AuthOptions options) =>
        new AuthOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void The_defaults_with_a_hash_key_file_are_valid() =>
        Assert.Empty(Failures(new AuthOptions { HashKeyFile = "/tmp/secret" }));

    [Fact]
    public void A_bootstrap_key_without_the_key_shape_is_refused_with_the_shape_and_a_recipe()
    {
        var failure = Assert.Single(Failures(new AuthOptions { HashKeyFile = "/tmp/secret", BootstrapKey = new string('k', 64) }));

        Assert.Contains("AgentGrid:Auth:BootstrapKey must be 'agk_' followed by 32 to 200", failure);
        Assert.Contains("openssl rand -hex 32", failure);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var failures = Failures(new AuthOptions
        {
            HashKeyFile = "/tmp/secret",
            BootstrapKey = "agk_short",
            UnknownKeyCacheTime = TimeSpan.FromHours(1),
            KeyCacheEntries = 0,
            FailureLimit = 0,
            FailureWindow = TimeSpan.Zero,
            KnownProxies = ["10.0.0.1", "ingress"],
            KnownNetworks = ["10.0.0.0/8", "10.0.0.0/99"],
        });

        string[] named = ["BootstrapKey", "UnknownKeyCacheTime", "KeyCacheEntries", "FailureLimit", "FailureWindow", "KnownProxies has 'ingress'", "KnownNetworks has '10.0.0.0/99'"];
        Assert.Equal(named.Length, failures.Count);
        foreach (var setting in named)
        {
            Assert.Contains(failures, f => f.StartsWith("AgentGrid:Auth:" + setting, StringComparison.Ordinal));
        }
    }
}
