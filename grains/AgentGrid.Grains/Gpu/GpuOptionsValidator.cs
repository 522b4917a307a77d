using AgentGrid.Inference.Profiles;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Gpu;

public sealed class GpuOptionsValidator : IValidateOptions<GpuOptions>
{
    public ValidateOptionsResult Validate(string? name, GpuOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NodeId) || options.NodeId.Length > 100
            || !options.NodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add($"{GpuOptions.SectionName}:NodeId must be 1-100 letters, digits, '-', '_' or '.' (was '{options.NodeId}').");
        }

        if (options.OnShutdown is not (ShutdownActions.Release or ShutdownActions.Resume))
        {
            problems.Add($"{GpuOptions.SectionName}:OnShutdown must be release or resume (was '{options.OnShutdown}').");
        }

        if (options.ShutdownDrainTimeout < TimeSpan.Zero || options.ShutdownDrainTimeout > TimeSpan.FromHours(1))
        {
            problems.Add($"{GpuOptions.SectionName}:ShutdownDrainTimeout must be between 0 and 1 hour (was {options.ShutdownDrainTimeout}).");
        }

        if (!GpuDiscoveryModes.All.Contains(options.Discovery))
        {
            problems.Add($"{GpuOptions.SectionName}:Discovery must be one of {string.Join(", ", GpuDiscoveryModes.All)} (was '{options.Discovery}').");
        }

        for (var i = 0; i < options.Declared.Count; i++)
        {
            var gpu = options.Declared[i];
            if (!MemorySize.TryParseMiB(gpu.Memory, out _))
            {
                problems.Add($"{GpuOptions.SectionName}:Declared:{i}:Memory must be a size such as 80GB (was '{gpu.Memory}').");
            }

            if (gpu.Count is < 1 or > 64)
            {
                problems.Add($"{GpuOptions.SectionName}:Declared:{i}:Count must be between 1 and 64.");
            }
        }

        foreach (var (profile, url) in options.Servers)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add($"{GpuOptions.SectionName}:Servers:{profile} must be an absolute http(s) URL (was '{url}').");
            }
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.HealthCheckInterval < TimeSpan.FromMilliseconds(50))
        {
            problems.Add($"{GpuOptions.SectionName}: RefreshInterval must be at least 100 ms and HealthCheckInterval at least 50 ms.");
        }

        foreach (var (runtime, command) in options.Runtimes)
        {
            if (!AgentGrid.Contracts.Profiles.ModelRuntimes.All.Contains(runtime) || runtime is AgentGrid.Contracts.Profiles.ModelRuntimes.OpenAi or AgentGrid.Contracts.Profiles.ModelRuntimes.Custom)
            {
                problems.Add($"{GpuOptions.SectionName}:Runtimes:{runtime} is not a runtime that AgentGrid launches.");
            }
            else if (command.InProcess && runtime != AgentGrid.Contracts.Profiles.ModelRuntimes.Simulator)
            {
                problems.Add($"{GpuOptions.SectionName}:Runtimes:{runtime}:InProcess is for the simulator only.");
            }
        }

        if (options.CpuCores is <= 0 or > 100_000)
        {
            problems.Add($"{GpuOptions.SectionName}:CpuCores must be a positive number of cores.");
        }

        if (options.Ram is not null && !MemorySize.TryParseMiB(options.Ram, out _))
        {
            problems.Add($"{GpuOptions.SectionName}:Ram must be a size such as 256GB (was '{options.Ram}').");
        }

        if (!System.Net.IPAddress.TryParse(options.ServerBindAddress, out _))
        {
            problems.Add($"{GpuOptions.SectionName}:ServerBindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{options.ServerBindAddress}').");
        }

        if (options.ServerPortRange is { Length: > 0 } range && Workers.Node.FreePorts.ParseRange(range) is null)
        {
            problems.Add($"{GpuOptions.SectionName}:ServerPortRange must be first-last between 1024 and 65535, e.g. 40000-40999 (was '{range}').");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            problems.Add($"{GpuOptions.SectionName}:StateDirectory must name a folder.");
        }

        if (options.StopGracePeriod < TimeSpan.Zero || options.StopGracePeriod > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{GpuOptions.SectionName}:StopGracePeriod must be between 0 and 10 minutes.");
        }

        if (options.MaxCrashes < 1 || options.CrashWindow <= TimeSpan.Zero || options.RestartBackoff < TimeSpan.Zero)
        {
            problems.Add($"{GpuOptions.SectionName}: MaxCrashes must be at least 1, CrashWindow positive and RestartBackoff not negative.");
        }

        if (options.FailedChecksBeforeFailure < 1)
        {
            problems.Add($"{GpuOptions.SectionName}:FailedChecksBeforeFailure must be at least 1.");
        }

        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
