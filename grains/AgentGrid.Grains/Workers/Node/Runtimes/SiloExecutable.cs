using System.Reflection;

namespace AgentGrid.Grains.Workers.Node.Runtimes;

/// <summary>
/// How to run the silo's own executable again (its <c>simulator</c> command): the app host or <c>dotnet AgentGrid.Silo.dll</c>
/// when this process is the silo, else the silo assembly beside this one (a test host, the bench).
/// </summary>
public static class SiloExecutable
{
    private const string SiloAssembly = "AgentGrid.Silo";

    public static IReadOnlyList<string> Command { get; } = Find();

    private static IReadOnlyList<string> Find()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var underDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var dotnet = underDotnet ? processPath : "dotnet";
        if (Assembly.GetEntryAssembly() is { } entry && entry.GetName().Name == SiloAssembly && !underDotnet)
        {
            return [processPath];
        }

        var dll = Path.Combine(AppContext.BaseDirectory, SiloAssembly + ".dll");
        return File.Exists(dll) ? [dotnet, dll] : [SiloAssembly];
    }
}
