using System.Globalization;
using System.Runtime.InteropServices;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>POSIX signals to whole process groups, and what <c>/proc</c> says of a process (to tell a pid from its reuse).</summary>
public static class ProcessSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    // DllImport rather than LibraryImport: a blittable call needs no generated marshalling, and the project stays free of unsafe code.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to process group <paramref name="group"/>; false when no process is left in it.</summary>
    public static bool SignalGroup(int group, int signal) => OperatingSystem.IsWindows() ? false : kill(-group, signal) == 0;

    public static bool Signal(int pid, int signal) => !OperatingSystem.IsWindows() && kill(pid, signal) == 0;

    /// <summary>Whether any process of the group is alive (signal 0 checks without sending).</summary>
    public static bool GroupAlive(int group) => SignalGroup(group, 0);

    /// <summary>The process's start time in clock ticks since boot (<c>/proc/&lt;pid&gt;/stat</c> field 22), or null where unknown.</summary>
    public static long? StartTicks(int pid) => StatField(pid, 22) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;

    /// <summary>The session a process belongs to (<c>/proc/&lt;pid&gt;/stat</c> field 6): a launched server and all its children share its pid.</summary>
    public static int? SessionOf(int pid) => StatField(pid, 6) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var session) ? session : null;

    /// <summary>Field <paramref name="number"/> (from 1, as <c>proc(5)</c> counts) of <c>/proc/&lt;pid&gt;/stat</c>, or null where unreadable.</summary>
    private static string? StatField(int pid, int number)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one, from field 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.ElementAtOrDefault(number - 3);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="pid"/> is the process that started at <paramref name="startTicks"/> (not a later one given its pid).</summary>
    public static bool IsSameProcess(int pid, long? startTicks) =>
        Signal(pid, 0) && (startTicks is null || StartTicks(pid) is not { } now || now == startTicks);
}
