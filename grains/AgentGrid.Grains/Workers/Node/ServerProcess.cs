using System.Diagnostics;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// One model server process, started in a session of its own (<c>setsid</c>) so that it and every process it starts (tensor-parallel
/// workers, a launcher's shards) form one process group: stopping signals the group, and nothing is left behind. Its output goes
/// to a <see cref="ServerLog"/>; <see cref="Exited"/> completes with its exit code.
/// </summary>
public sealed class ServerProcess
{
    private static readonly string? Setsid = Processes.ParentBoundGroup.Setsid;
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, ServerLog log)
    {
        _process = process;
        Log = log;
    }

    public int Pid => _process.Id;

    /// <summary>The process group to signal: the server's own pid when it leads its session, else none (only the process itself).</summary>
    public int? Group { get; private set; }

    public long? StartTicks { get; private set; }

    public ServerLog Log { get; }

    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Whether <paramref name="executable"/> (a path, or a name looked up in <paramref name="path"/>) is a file that may be run.</summary>
    public static bool CanRun(string executable, string path)
    {
        if (executable.Contains('/'))
        {
            return IsExecutable(executable);
        }

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => IsExecutable(Path.Combine(dir, executable)));
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>Starts <paramref name="commandLine"/> with exactly <paramref name="environment"/> (nothing inherited).</summary>
    public static ServerProcess Start(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string> environment, string workingDirectory, ServerLog log)
    {
        var start = new ProcessStartInfo(Setsid ?? commandLine[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in Setsid is null ? commandLine.Skip(1) : commandLine)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, log);
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.Exited += (_, _) => server._exited.TrySetResult(SafeExitCode(process));
        process.Start();
        server.Group = Setsid is null ? null : process.Id;
        server.StartTicks = ProcessSignals.StartTicks(process.Id);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// SIGTERM to the group, <paramref name="grace"/> to exit, then SIGKILL to whatever of the group is left. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            Signal(ProcessSignals.SigTerm);
            await Task.WhenAny(Exited, Task.Delay(grace));
        }

        // The leader may be gone while its children (tensor-parallel workers) are not.
        if (!HasExited || (Group is { } group && ProcessSignals.GroupAlive(group)))
        {
            Signal(ProcessSignals.SigKill);
        }

        try
        {
            return await Exited.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // SIGKILL does not end a process stuck in the kernel (a GPU driver call): the worker still stops and frees its VRAM.
            Log.Add($"[agentgrid] process {Pid} did not end 30 s after SIGKILL (stuck in the kernel?); leaving it to the operator");
            return -1;
        }
    }

    private void Signal(int signal)
    {
        if (Group is { } group)
        {
            ProcessSignals.SignalGroup(group, signal);
        }
        else if (signal == ProcessSignals.SigKill)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
        else
        {
            ProcessSignals.Signal(_process.Id, signal);
        }
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
