using System.ComponentModel;
using System.Diagnostics;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Inference.Profiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Gpu;

/// <summary>Finds this node's GPUs: nvidia-smi where present, else the declared (simulated) GPUs.</summary>
public sealed class GpuDiscovery(IOptions<GpuOptions> options, ILogger<GpuDiscovery> logger)
{
    // Once nvidia-smi has answered, a later failure (a timeout, a driver hiccup) must not turn a real node into
    // the declared one: the last real figures stand until it answers again.
    private DiscoveredGpus? _lastFromNvidiaSmi;

    public async Task<DiscoveredGpus> DiscoverAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Discovery is GpuDiscoveryModes.None)
        {
            return new DiscoveredGpus(GpuDiscoveryModes.None, []);
        }

        if (o.Discovery is GpuDiscoveryModes.Auto or GpuDiscoveryModes.NvidiaSmi)
        {
            var smi = await RunNvidiaSmiAsync(o.NvidiaSmiPath, NvidiaSmiParser.Arguments, cancellationToken) is { } text ? Gpus(text) : null;
            if (smi is { Count: > 0 })
            {
                var apps = await RunNvidiaSmiAsync(o.NvidiaSmiPath, ComputeApps.Arguments, cancellationToken);
                return _lastFromNvidiaSmi = new DiscoveredGpus(GpuDiscoveryModes.NvidiaSmi, smi, apps is null ? null : ComputeApps.Parse(apps));
            }

            if (_lastFromNvidiaSmi is { } last)
            {
                logger.LogWarning("nvidia-smi did not answer; keeping its last report of {Count} GPUs", last.Gpus.Count);
                return last;
            }

            if (o.Discovery == GpuDiscoveryModes.NvidiaSmi)
            {
                throw new InvalidOperationException($"GPU discovery is set to nvidia-smi, but '{o.NvidiaSmiPath}' reported no GPUs.");
            }
        }

        return new DiscoveredGpus(o.Declared.Count > 0 ? GpuDiscoveryModes.Declared : GpuDiscoveryModes.None, Declared(o.Declared));
    }

    public static IReadOnlyList<GpuDevice> Declared(IEnumerable<DeclaredGpu> declared)
    {
        var gpus = new List<GpuDevice>();
        foreach (var gpu in declared)
        {
            MemorySize.TryParseMiB(gpu.Memory, out var mib);
            for (var i = 0; i < gpu.Count; i++)
            {
                gpus.Add(new GpuDevice(gpus.Count, gpu.Name, null, mib, 0, mib, 0));
            }
        }

        return gpus;
    }

    private IReadOnlyList<GpuDevice> Gpus(string output)
    {
        var result = NvidiaSmiParser.Parse(output);
        foreach (var problem in result.Problems)
        {
            logger.LogWarning("nvidia-smi output not understood: {Problem}", problem);
        }

        return result.Gpus;
    }

    private static readonly string[] NvidiaSmiVariables = ["PATH", "LD_LIBRARY_PATH", "HOME", "LANG"];

    private async Task<string?> RunNvidiaSmiAsync(string path, string arguments, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(path, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            // Only what nvidia-smi needs to run: never the silo's secrets.
            start.Environment.Clear();
            foreach (var (name, value) in Processes.ChildEnvironment.Inherit(NvidiaSmiVariables))
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            // A hung driver must not leave a hung nvidia-smi behind.
            using var kill = timeout.Token.Register(() =>
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            });
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                logger.LogWarning("nvidia-smi exited with {ExitCode}: {Error}", process.ExitCode, (await errors).Trim());
                return null;
            }

            return await output;
        }
        catch (Win32Exception)
        {
            // Not installed: the usual case on a machine without NVIDIA GPUs.
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("nvidia-smi did not answer within 10 s");
            return null;
        }
    }
}

/// <summary>What a node found: its GPUs, and (from nvidia-smi) the GPU memory of each process, null where unknown.</summary>
public sealed record DiscoveredGpus(string Source, IReadOnlyList<GpuDevice> Gpus, IReadOnlyList<ComputeApps.Usage>? Processes = null);
