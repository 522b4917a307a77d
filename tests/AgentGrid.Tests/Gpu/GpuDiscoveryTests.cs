using AgentGrid.Grains.Gpu;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Gpu;

public sealed class GpuDiscoveryTests
{
    private static readonly List<DeclaredGpu> TwoSimulated = [new() { Name = "Simulated", Memory = "80GB", Count = 2 }];

    private static Task<DiscoveredGpus> DiscoverAsync(string discovery, string nvidiaSmi, List<DeclaredGpu>? declared = null) =>
        new GpuDiscovery(Options.Create(new GpuOptions { Discovery = discovery, NvidiaSmiPath = nvidiaSmi, Declared = declared ?? TwoSimulated }),
            NullLogger<GpuDiscovery>.Instance).DiscoverAsync(CancellationToken.None);

    /// <summary>An executable that prints the captured H100 output, trimmed to the columns AgentGrid queries.</summary>
    private static string FakeNvidiaSmi(TempDirectory folder, string body)
    {
        var path = Path.Combine(folder.Path, "nvidia-smi");
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    [Fact]
    public async Task Nvidia_smi_is_run_and_its_gpus_reported()
    {
        using var folder = new TempDirectory();
        var captured = Path.Combine(AppContext.BaseDirectory, "TestData", "nvidia-smi", "query-gpu-busy.csv");
        var smi = FakeNvidiaSmi(folder, $"cut -d, -f1-7 '{captured}'");

        var found = await DiscoverAsync("auto", smi);

        Assert.Equal("nvidia-smi", found.Source);
        var gpu = Assert.Single(found.Gpus);
        Assert.Equal(("NVIDIA H100 80GB HBM3", 81559L, 30775L), (gpu.Name, gpu.TotalMiB, gpu.UsedMiB));
    }

    [Fact]
    public async Task Without_nvidia_smi_auto_falls_back_to_the_declared_gpus()
    {
        var found = await DiscoverAsync("auto", "/nonexistent/nvidia-smi");

        Assert.Equal("declared", found.Source);
        Assert.Equal([0, 1], found.Gpus.Select(g => g.Index));
        Assert.All(found.Gpus, g => Assert.Equal(81920, g.TotalMiB));
    }

    [Fact]
    public async Task A_failing_nvidia_smi_falls_back_in_auto_and_is_an_error_when_required()
    {
        using var folder = new TempDirectory();
        var broken = FakeNvidiaSmi(folder, "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.' >&2; exit 9");

        Assert.Equal("declared", (await DiscoverAsync("auto", broken)).Source);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DiscoverAsync("nvidia-smi", broken));
        Assert.Contains("reported no GPUs", error.Message);
    }

    [Fact]
    public async Task A_cpu_only_silo_has_no_gpus()
    {
        var found = await DiscoverAsync("none", "/nonexistent/nvidia-smi");

        Assert.Equal(("none", 0), (found.Source, found.Gpus.Count));
        Assert.Empty((await DiscoverAsync("declared", "/nonexistent", declared: [])).Gpus);
    }
}
