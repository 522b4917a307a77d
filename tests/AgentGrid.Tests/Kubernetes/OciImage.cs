using System.Formats.Tar;
using System.Text.Json;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>
/// An OCI image archive read the way a container runtime reads it: index, manifest, config and layers; and run the
/// way a runtime runs it, without one: the layers unpacked into a root file system, the entrypoint started in a
/// chroot as the image's user with only the image's environment (plus /proc and /dev in a private mount namespace).
/// </summary>
public sealed class OciImage
{
    private OciImage(string folder, string manifestJson, string configJson, IReadOnlyList<string> layerDigests)
    {
        Folder = folder;
        Manifest = JsonDocument.Parse(manifestJson).RootElement;
        var config = JsonDocument.Parse(configJson).RootElement;
        Platform = $"{config.GetProperty("os").GetString()}/{config.GetProperty("architecture").GetString()}";
        Config = config.GetProperty("config");
        LayerDigests = layerDigests;
    }

    public string Folder { get; }

    public JsonElement Manifest { get; }

    /// <summary>The runtime part of the image config: Entrypoint, User, Env, ExposedPorts, WorkingDir, Labels.</summary>
    public JsonElement Config { get; }

    public string Platform { get; }

    public IReadOnlyList<string> LayerDigests { get; }

    public string[] Entrypoint => Config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public string User => Config.GetProperty("User").GetString()!;

    public IReadOnlyDictionary<string, string> Environment => Config.GetProperty("Env").EnumerateArray()
        .Select(e => e.GetString()!.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    public IReadOnlyList<string> ExposedPorts => Config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToArray();

    public static OciImage Open(string archive, string folder)
    {
        Directory.CreateDirectory(folder);
        TarFile.ExtractToDirectory(archive, folder, overwriteFiles: false);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "index.json")));
        var manifestJson = Blob(folder, index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!);
        using var manifest = JsonDocument.Parse(manifestJson);
        var configJson = Blob(folder, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();
        return new OciImage(folder, manifestJson, configJson, layers);
    }

    /// <summary>Applies the layers in order into <paramref name="rootFs"/> (GNU tar keeps owners, modes and links).</summary>
    public async Task UnpackAsync(string rootFs)
    {
        Directory.CreateDirectory(rootFs);
        foreach (var digest in LayerDigests)
        {
            await ServerProcess.RunAsync("tar", ["--numeric-owner", "-xzf", BlobPath(Folder, digest), "-C", rootFs]);
        }
    }

    /// <summary>Starts the entrypoint from an unpacked root file system as the image's user, with the image's environment and <paramref name="overrides"/>.</summary>
    public ServerProcess Start(string rootFs, IReadOnlyDictionary<string, string> overrides, string logPath)
    {
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        const string Script = """mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" && exec /usr/sbin/chroot --userspec="$1:$1" "$0" "$2" """;
        return ServerProcess.Start("/usr/bin/unshare", ["--mount", "--fork", "/bin/sh", "-c", Script, rootFs, User, Entrypoint[0]],
            logPath, environment, clearEnvironment: true);
    }

    private static string Blob(string folder, string digest) => File.ReadAllText(BlobPath(folder, digest));

    private static string BlobPath(string folder, string digest) => Path.Combine(folder, "blobs", "sha256", digest["sha256:".Length..]);
}
