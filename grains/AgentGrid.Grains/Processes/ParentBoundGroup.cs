using System.Globalization;

namespace AgentGrid.Grains.Processes;

/// <summary>
/// Starts a child as the leader of a process group of its own (<c>setsid</c>) under a small POSIX shell watchdog: the
/// child keeps its stdin and stdout, and once the parent process is gone (stopped, crashed, or killed with <c>kill -9</c>,
/// which no handler of the parent sees) or the child has exited, the watchdog kills the whole group, so nothing the child
/// started is left running. Where there is no <c>setsid</c> (Windows), the command runs as it is.
/// </summary>
public static class ParentBoundGroup
{
    /// <summary><c>setsid</c>, where the machine has it.</summary>
    public static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    // $1: the parent's pid; the rest: the command. A background job's stdin is /dev/null unless it is handed over from
    // another descriptor (dash ignores a plain "<&0" there), hence fd 3. Checked once a second: a child outlives its parent
    // by at most that. The shell's own PWD is not passed on: the child's environment stays exactly what it was given.
    private const string Watchdog =
        "unset PWD; parent=$1; shift; exec 3<&0; \"$@\" <&3 3<&- & child=$!; exec 3<&-; " +
        "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; kill -KILL 0";

    /// <summary>The command line that runs <paramref name="command"/> bound to the process <paramref name="parentPid"/>.</summary>
    public static (string Command, IReadOnlyList<string> Arguments) Wrap(string command, IReadOnlyList<string> arguments, int parentPid) =>
        Setsid is null || !File.Exists("/bin/sh")
            ? (command, arguments)
            : (Setsid, ["/bin/sh", "-c", Watchdog, "agentgrid-watchdog", parentPid.ToString(CultureInfo.InvariantCulture), command, .. arguments]);
}
