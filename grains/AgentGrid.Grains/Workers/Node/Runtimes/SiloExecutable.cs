using System.Runtime.InteropServices;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// How to run the silo's executable again (its <c>simulator</c> command): <c>dotnet agentgrid-silo.dll</c> with this runtime's own
/// <c>dotnet</c> host (a server's environment has no <c>DOTNET_ROOT</c>, so the app host of a framework-dependent build might not find
/// the runtime), or the app host itself in a self-contained build. From a test host or the bench, the silo assembly beside it.
/// </summary>
public static class SiloExecutable
{
    /// <summary>The silo's assembly name (its project sets it).</summary>
    public const string AssemblyName = "agentgrid-silo";

    public static IReadOnlyList<string> Command { get; } = Find();

    private static IReadOnlyList<string> Find()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
        // shared/Microsoft.NETCore.App/<version>/ is three folders below the dotnet host of a shared install.
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        if (File.Exists(host) && File.Exists(dll))
        {
            return [host, dll];
        }

        var appHost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? AssemblyName + ".exe" : AssemblyName);
        return File.Exists(appHost) ? [appHost] : ["dotnet", dll];
    }
}
