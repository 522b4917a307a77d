using System.Diagnostics;
using System.Reflection;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>
/// Builds the two images once with <c>k8s/images/build</c>, the way a user does: the .NET SDK's container support
/// writing OCI archives, on a Debian base made by debootstrap and served by the loopback registry.
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    private readonly TempDirectory _output = new();

    public static string KubernetesDirectory { get; } = typeof(ContainerImages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KubernetesDirectory").Value!;

    public OciImage Silo { get; private set; } = null!;

    public OciImage FrontDoor { get; private set; } = null!;

    public string BuildOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        BuildOutput = await ServerProcess.RunAsync("bash", [Path.Combine(KubernetesDirectory, "images", "build"), "--out", _output.Path], timeout: TimeSpan.FromMinutes(12));
        Silo = OciImage.Open(Path.Combine(_output.Path, "agentgrid-silo.tar"), Path.Combine(_output.Path, "silo"));
        FrontDoor = OciImage.Open(Path.Combine(_output.Path, "agentgrid-frontdoor.tar"), Path.Combine(_output.Path, "frontdoor"));
    }

    public Task DisposeAsync()
    {
        _output.Dispose();
        return Task.CompletedTask;
    }
}
