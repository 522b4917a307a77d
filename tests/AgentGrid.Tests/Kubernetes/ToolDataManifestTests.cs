using System.Globalization;
using YamlDotNet.RepresentationModel;
using static AgentGrid.Tests.Kubernetes.Manifests;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>
/// Silos keep tool data on one ReadWriteMany volume that all of them mount at the tool data root, not in the per-pod
/// temp emptyDir, and cap it below the volume's size.
/// </summary>
public sealed class ToolDataManifestTests
{
    private const string DataRoot = "AgentGrid__Tools__DataRoot";
    private const string MaxTotalBytes = "AgentGrid__Tools__MaxTotalBytes";

    private static YamlNode ToolDataClaim() =>
        Assert.Single(Objects(), o => o.File.StartsWith("base", StringComparison.Ordinal) && Text(o.Object, "kind") == "PersistentVolumeClaim"
            && Text(o.Object, "metadata", "name") == "agentgrid-tool-data").Object;

    private static List<YamlNode> Silos() => [.. Objects()
        .Where(o => o.File.StartsWith("base", StringComparison.Ordinal) && Text(o.Object, "kind") == "Deployment"
            && Text(o.Object, "metadata", "labels", "app.kubernetes.io/name") == "agentgrid-silo")
        .Select(o => o.Object)];

    private static string? Env(YamlNode container, string name) =>
        Items(container, "env").Where(e => Text(e, "name") == name).Select(e => Text(e, "value")).SingleOrDefault();

    [Fact]
    public void The_tool_data_volume_is_a_read_write_many_claim_in_the_base()
    {
        var claim = ToolDataClaim();

        Assert.Equal(["ReadWriteMany"], Items(claim, "spec", "accessModes").Select(m => ((YamlScalarNode)m).Value));
        Assert.True(Bytes(Text(claim, "spec", "resources", "requests", "storage")!) >= 1L << 30);
        Assert.Contains("- tool-data.yaml", File.ReadAllText(Path.Combine(Folder, "base", "kustomization.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_silo_mounts_the_claim_at_its_tool_data_root_outside_the_temp_folder()
    {
        var silos = Silos();

        Assert.Equal(2, silos.Count);
        foreach (var silo in silos)
        {
            var name = Text(silo, "metadata", "name");
            var pod = At(silo, "spec", "template", "spec");
            var container = Assert.Single(Items(pod, "containers"), c => Text(c, "name") == "silo");
            var root = Env(container, DataRoot);
            Assert.True(root is not null, $"{name} does not set {DataRoot}.");
            Assert.False(root!.StartsWith("/tmp", StringComparison.Ordinal), $"{name} keeps tool data in the temp folder.");

            var mount = Assert.Single(Items(container, "volumeMounts"), m => Text(m, "mountPath") == root);
            var volume = Assert.Single(Items(pod, "volumes"), v => Text(v, "name") == Text(mount, "name"));
            Assert.Equal("agentgrid-tool-data", Text(volume, "persistentVolumeClaim", "claimName"));
            Assert.NotEqual("true", Text(mount, "readOnly"));
        }
    }

    [Fact]
    public void Every_silo_caps_tool_data_below_the_claims_size()
    {
        var size = Bytes(Text(ToolDataClaim(), "spec", "resources", "requests", "storage")!);

        foreach (var silo in Silos())
        {
            var container = Items(At(silo, "spec", "template", "spec"), "containers").Single(c => Text(c, "name") == "silo");
            var cap = Env(container, MaxTotalBytes);
            Assert.True(cap is not null, $"{Text(silo, "metadata", "name")} does not set {MaxTotalBytes}.");
            Assert.InRange(long.Parse(cap!, CultureInfo.InvariantCulture), 1L << 30, size * 9 / 10);
        }
    }

    /// <summary>A Kubernetes quantity (<c>20Gi</c>, <c>500M</c>, <c>1024</c>) in bytes.</summary>
    private static long Bytes(string quantity)
    {
        var suffixes = new (string Suffix, long Factor)[]
        {
            ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
            ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        };
        foreach (var (suffix, factor) in suffixes)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
            {
                return long.Parse(quantity[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return long.Parse(quantity, CultureInfo.InvariantCulture);
    }
}
