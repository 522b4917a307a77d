using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>Which strings have a key's shape: only those are ever hashed and looked up.</summary>
public sealed class KeyShapeTests
{
    public static TheoryData<string> Keys() => new()
    {
        KeyHasher.NewKey(),
        // The README's bootstrap recipe: echo agk_$(openssl rand -hex 32).
        "agk_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        EmbeddedGrid.NewKey(),
        // k8s/overlays/dev.
        "agk_dev_0123456789abcdef0123456789abcdef",
        "agk_" + new string('x', KeyShape.MinBodyLength),
        "agk_" + new string('-', KeyShape.MaxBodyLength),
    };

    public static TheoryData<string> NotKeys() => new()
    {
        "",
        "not-a-key",
        "agk_",
        "agk_" + new string('x', KeyShape.MinBodyLength - 1),
        "agk_" + new string('x', KeyShape.MaxBodyLength + 1),
        "AGK_" + new string('x', 43),
        "sk-" + new string('x', 48),
        "agk_" + new string('x', 40) + "+/=",
        "agk_" + new string('x', 40) + " x",
        "agk_" + new string('x', 40) + "é",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Keys_the_grid_makes_and_documented_bootstrap_keys_are_well_formed(string key) =>
        Assert.True(KeyShape.IsWellFormed(key), key);

    [Theory]
    [MemberData(nameof(NotKeys))]
    public void Anything_else_is_malformed(string presented) =>
        Assert.False(KeyShape.IsWellFormed(presented), presented);
}
