using System.Diagnostics;
using System.Reflection;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>Every manifest in k8s/ (base and overlays) is valid against the Kubernetes API schemas, checked offline.</summary>
public sealed class ManifestTests
{
    private static readonly string Folder = typeof(ManifestTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KubernetesDirectory").Value!;

    private static async Task<(int Exit, string Output)> ValidateAsync(string folder)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(Folder, "validate") };
        start.ArgumentList.Add("validate.mjs");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task Every_manifest_is_a_valid_kubernetes_object()
    {
        var (exit, output) = await ValidateAsync(Folder);

        Assert.True(exit == 0, output);
        Assert.Matches(@"^\d+ Kubernetes objects valid, 0 problems", output.Trim().Split('\n')[^1]);
        Assert.True(int.Parse(output.Trim().Split('\n')[^1].Split(' ')[0]) >= 24, output);
    }

    [Fact]
    public async Task An_invalid_manifest_is_reported_with_its_file_object_and_field()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "broken.yaml"), """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: broken }
            spec:
              selector: { matchLabels: { app: broken } }
              template:
                metadata: { labels: { app: broken } }
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports: [{ containerPort: "eighty" }]
            ---
            apiVersion: example.com/v1
            kind: Gadget
            metadata: { name: mystery }
            """);

        var (exit, output) = await ValidateAsync(folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("broken.yaml: Deployment broken: data/spec/template/spec/containers/0/ports/0/containerPort must be integer", output);
        Assert.Contains("Gadget mystery: unknown apiVersion example.com/v1", output);
    }
}
