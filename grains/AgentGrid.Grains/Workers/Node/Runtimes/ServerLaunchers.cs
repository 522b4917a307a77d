using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Gpu;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>The launcher of each runtime AgentGrid starts, and the command line it runs with on this node.</summary>
public static class ServerLaunchers
{
    private static readonly Dictionary<string, IServerLauncher> ByRuntime = new IServerLauncher[]
    {
        new VllmLauncher(), new TgiLauncher(), new TeiLauncher(), new LlamaCppLauncher(), new SglangLauncher(), new CustomLauncher(), new SimulatorLauncher(),
    }.ToDictionary(l => l.Runtime, StringComparer.Ordinal);

    public static bool Launches(string runtime) => ByRuntime.ContainsKey(runtime);

    public static IServerLauncher For(string runtime) => ByRuntime.TryGetValue(runtime, out var launcher)
        ? launcher
        : throw new AgentGridException(ErrorCodes.ModelUnavailable, $"AgentGrid does not launch {runtime} servers.");

    /// <summary>The whole command line: the configured executable (or the runtime's default), then the plan's arguments.</summary>
    public static IReadOnlyList<string> CommandLine(string runtime, LaunchPlan plan, GpuOptions options)
    {
        if (plan.Command is { } whole)
        {
            return whole;
        }

        var configured = options.Runtimes.GetValueOrDefault(runtime);
        IReadOnlyList<string> executable = configured?.Command is { Length: > 0 } command ? [command, .. configured.Arguments] : For(runtime).DefaultCommand;
        return [.. executable, .. plan.Arguments];
    }
}
