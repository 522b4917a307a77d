using System.Diagnostics;

namespace AgentGrid.Bench;

/// <summary>A server the bench started as a process of its own; disposing it kills it.</summary>
public sealed record ChildServer(Process Process, string Address) : IDisposable
{
    public void Dispose()
    {
        Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
