using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>The Kubernetes objects in k8s/ as YAML trees, and small readers for their fields.</summary>
internal static class Manifests
{
    public static readonly string Folder = typeof(Manifests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KubernetesDirectory").Value!;

    public static IEnumerable<string> ManifestFiles() => new[] { "base", "overlays" }
        .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Folder, folder), "*.yaml", SearchOption.AllDirectories));

    public static IReadOnlyList<YamlNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode)];
    }

    /// <summary>Every Kubernetes object in base and the overlays (not kustomize's own files), with its file.</summary>
    public static IEnumerable<(string File, YamlNode Object)> Objects() =>
        from file in ManifestFiles()
        where Path.GetFileName(file) != "kustomization.yaml"
        from root in Documents(File.ReadAllText(file))
        where Text(root, "kind") is not null
        select (Path.GetRelativePath(Folder, file), root);

    public static List<YamlNode> OfKind(string kind) => [.. Objects().Where(o => Text(o.Object, "kind") == kind).Select(o => o.Object)];

    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return node;
    }

    public static string? Text(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(YamlNode? node, params string[] path) => At(node, path) is YamlSequenceNode list ? list.Children : [];
}
