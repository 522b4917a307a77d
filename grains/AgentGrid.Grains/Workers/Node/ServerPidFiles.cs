using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// One file per launched server in the node's state folder, naming the server's process (group) and the silo process that owns
/// it. A silo that was killed cannot stop its servers; when the node's silo starts again it finds their files and stops every
/// server whose owner is gone, so no orphan keeps its GPU memory.
/// </summary>
public sealed class ServerPidFiles(string directory, ILogger logger)
{
    private static readonly int OwnerPid = Environment.ProcessId;
    private static readonly long? OwnerStart = ProcessSignals.StartTicks(Environment.ProcessId);

    public string Directory => directory;

    public void Write(string workerId, ServerProcess server)
    {
        System.IO.Directory.CreateDirectory(directory);
        var record = new PidRecord(workerId, server.Pid, server.StartTicks, server.Group is not null, OwnerPid, OwnerStart);
        File.WriteAllText(PathOf(workerId), JsonSerializer.Serialize(record));
    }

    public void Delete(string workerId)
    {
        try
        {
            File.Delete(PathOf(workerId));
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the pid file of worker {WorkerId}", workerId);
        }
    }

    /// <summary>Stops the servers of silo processes that are gone; returns how many were still running.</summary>
    public async Task<int> StopOrphansAsync(TimeSpan grace)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return 0;
        }

        var stopped = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.pid"))
        {
            PidRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<PidRecord>(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                logger.LogWarning(e, "Ignoring unreadable pid file {File}", file);
                continue;
            }

            if (record is null || ProcessSignals.IsSameProcess(record.OwnerPid, record.OwnerStartTicks))
            {
                // A live silo process owns it (another silo of this node's folder, in tests): not an orphan.
                continue;
            }

            // The leader itself, or (it died) the rest of its group; never a later process that was given the leader's pid.
            var leaderReused = ProcessSignals.Signal(record.Pid, 0) && !ProcessSignals.IsSameProcess(record.Pid, record.StartTicks);
            if (!leaderReused && (ProcessSignals.IsSameProcess(record.Pid, record.StartTicks) || (record.Group && ProcessSignals.GroupAlive(record.Pid))))
            {
                stopped++;
                logger.LogWarning("Stopping orphan model server {Pid} of worker {WorkerId}: the silo that started it is gone", record.Pid, record.WorkerId);
                await StopGroupAsync(record, grace);
            }

            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not delete the pid file {File}", file);
            }
        }

        return stopped;
    }

    private static async Task StopGroupAsync(PidRecord record, TimeSpan grace)
    {
        Signal(record, ProcessSignals.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && Alive(record))
        {
            await Task.Delay(100);
        }

        if (Alive(record))
        {
            Signal(record, ProcessSignals.SigKill);
        }
    }

    private static bool Alive(PidRecord record) => record.Group ? ProcessSignals.GroupAlive(record.Pid) : ProcessSignals.IsSameProcess(record.Pid, record.StartTicks);

    private static void Signal(PidRecord record, int signal)
    {
        if (record.Group)
        {
            ProcessSignals.SignalGroup(record.Pid, signal);
        }
        else
        {
            ProcessSignals.Signal(record.Pid, signal);
        }
    }

    private string PathOf(string workerId) => Path.Combine(directory, string.Concat(workerId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')) + ".pid");

    private sealed record PidRecord(string WorkerId, int Pid, long? StartTicks, bool Group, int OwnerPid, long? OwnerStartTicks);
}
