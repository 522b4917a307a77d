using System.Diagnostics;
using System.Reflection;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>What a new user sees when they start the embedded default for the first time.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task The_first_start_prints_its_banner_first_logs_no_warning_and_keeps_its_data_folder_to_its_owner()
    {
        using var data = new TempDirectory();
        var silo = typeof(FirstStartTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloAssembly").Value!;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(silo);
        start.Environment["HOME"] = data.Path;
        start.Environment["Urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["AgentGrid__Embedded__DataDirectory"] = Path.Combine(data.Path, "grid");
        start.Environment["AgentGrid__Embedded__SiloPort"] = FreePort.Next().ToString();
        var lines = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Read(e);
        process.ErrorDataReceived += (_, e) => Read(e);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string[] seen;
        lock (lines)
        {
            seen = [.. lines];
        }

        var banner = Array.FindIndex(seen, l => l.Contains("AgentGrid is running", StringComparison.Ordinal));
        Assert.True(banner >= 0, string.Join('\n', seen));
        Assert.All(seen[..banner], l => Assert.True(string.IsNullOrWhiteSpace(l), $"Logged before the banner: {l}"));
        Assert.DoesNotContain(seen, l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(Path.Combine(data.Path, "grid")) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
            "the data folder is mode 0700");
    }
}
