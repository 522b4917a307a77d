using System.Diagnostics;

namespace AgentGrid.Tests.Infrastructure.Cluster;

/// <summary>A child process with its output in a log file; <see cref="Kill"/> is SIGKILL, the way a crash ends it.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static ServerProcess Start(string file, IEnumerable<string> arguments, string logPath, IDictionary<string, string>? environment = null, string? user = null, bool clearEnvironment = false)
    {
        var start = new ProcessStartInfo(user is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            foreach (var argument in new[] { "-u", user, "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (clearEnvironment)
        {
            start.Environment.Clear();
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, logPath);
    }

    /// <summary>Runs a command to its end and returns its output; throws with its output if it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? user = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(user is null ? file : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (user is null ? [] : new[] { "-u", user, "--", file }).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
        }

        return await output + await errors;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code (its output is in the log by then).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
