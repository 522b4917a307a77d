using System.Diagnostics;
using AgentGrid.Grains.Processes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools;

/// <summary>
/// The launch stdio MCP servers get: the server keeps its stdin and stdout, and once its parent is killed with SIGKILL (no
/// handler of the parent runs), the server and everything it started are killed too.
/// </summary>
public sealed class ParentBoundGroupTests
{
    [Fact]
    public async Task A_child_keeps_its_pipes_and_dies_with_what_it_started_once_its_parent_is_killed_with_sigkill()
    {
        Assert.NotNull(ParentBoundGroup.Setsid);
        // Stands in for the silo: a process that can be killed with SIGKILL without taking the test with it.
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var (command, arguments) = ParentBoundGroup.Wrap("/bin/sh", ["-c", "sleep 600 & echo $!; cat"], parent.Id);
        var start = new ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var child = Process.Start(start)!;
        try
        {
            var grandchild = int.Parse((await child.StandardOutput.ReadLineAsync())!);
            await child.StandardInput.WriteLineAsync("ping");
            await child.StandardInput.FlushAsync();
            var echoed = await child.StandardOutput.ReadLineAsync();

            Assert.Equal("ping", echoed);
            Assert.True(Alive(grandchild));

            parent.Kill();
            await Eventually.TrueAsync(() => !Alive(grandchild) && child.HasExited, TimeSpan.FromSeconds(15), "the server's group to die with its parent");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Running, not a zombie waiting for a parent to reap it.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
