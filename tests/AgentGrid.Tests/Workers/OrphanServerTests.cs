using System.Diagnostics;
using AgentGrid.Grains.Workers.Node;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentGrid.Tests.Workers;

/// <summary>Servers whose silo is gone are found by their pid files and stopped, group and all; those of a live silo are left alone.</summary>
public sealed class OrphanServerTests
{
    [Fact]
    public async Task A_server_whose_silo_died_is_stopped_with_its_children_and_its_pid_file_removed()
    {
        using var folder = new TempDirectory();
        var files = new ServerPidFiles(folder.Path, NullLogger.Instance);
        // A server with a child of its own (as vLLM's tensor-parallel workers are), started in its own session.
        var server = ServerProcess.Start(["bash", "-c", "sleep 600 & wait"], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, folder.Path, new ServerLog([]));
        await Eventually.TrueAsync(() => Process.GetProcesses().Any(p => p.Id != server.Pid && ProcessSignals.SessionOf(p.Id) == server.Pid),
            TimeSpan.FromSeconds(10), "the server's child to start");
        files.Write("w-orphan@node", server);
        // The silo that owned it: a process that is gone now.
        using (var owner = Process.Start("true")!)
        {
            await owner.WaitForExitAsync();
            RewriteOwner(folder.Path, owner.Id);
        }

        var stopped = await files.StopOrphansAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, stopped);
        Assert.NotEqual(0, await server.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(ProcessSignals.GroupAlive(server.Pid));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.pid"));
    }

    [Fact]
    public async Task A_server_of_a_live_silo_is_not_an_orphan()
    {
        using var folder = new TempDirectory();
        var files = new ServerPidFiles(folder.Path, NullLogger.Instance);
        var server = ServerProcess.Start(["sleep", "600"], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, folder.Path, new ServerLog([]));
        files.Write("w-owned@node", server);
        try
        {
            Assert.Equal(0, await files.StopOrphansAsync(TimeSpan.FromSeconds(5)));
            Assert.False(server.HasExited);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(5));
            files.Delete("w-owned@node");
        }
    }

    [Fact]
    public void Ports_come_from_the_configured_range_free_and_never_twice_while_held()
    {
        var first = Enumerable.Range(0, 50).Select(_ => FreePort.Next()).First(p => p < 65530 && Enumerable.Range(p, 3).All(Free));
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, first);
        taken.Start();
        var ports = new FreePorts("127.0.0.1", FreePorts.ParseRange($"{first}-{first + 2}"));

        var handedOut = new[] { ports.Next(), ports.Next() };

        Assert.Equal(new[] { first + 1, first + 2 }, handedOut.Order());
        Assert.Equal(AgentGrid.Contracts.Errors.ErrorCodes.ModelUnavailable, Assert.Throws<AgentGrid.Contracts.Errors.AgentGridException>(() => ports.Next()).Code);
        Assert.Null(FreePorts.ParseRange("80-90"));
    }

    [Fact]
    public void A_crash_loop_backs_off_doubling_then_gives_up_within_its_window()
    {
        var window = new CrashWindow(maxCrashes: 3, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2));
        var start = DateTimeOffset.UnixEpoch;

        Assert.Equal(TimeSpan.FromSeconds(2), window.Crashed(start));
        Assert.Equal(TimeSpan.FromSeconds(4), window.Crashed(start.AddMinutes(1)));
        // The first crash has left the window: two in it, so one more try.
        Assert.Equal(TimeSpan.FromSeconds(4), window.Crashed(start.AddMinutes(10.5)));
        Assert.Null(window.Crashed(start.AddMinutes(11)));
    }

    [Fact]
    public void Secrets_given_to_a_server_never_reach_its_log()
    {
        var log = new ServerLog(["agsrv_0123456789abcdef", "hf_TOKENVALUE123"]);

        log.Add("INFO: api key agsrv_0123456789abcdef accepted; token=hf_TOKENVALUE123");
        log.Add(new string('x', ServerLog.MaxLineLength + 10));

        Assert.Equal("INFO: api key [redacted] accepted; token=[redacted]", log.Tail(2)[0]);
        Assert.EndsWith(" [cut]", log.Tail(1)[0]);
    }

    [Fact]
    public void A_workers_server_key_is_neither_stored_nor_written_as_json_nor_logged()
    {
        var key = AgentGrid.Contracts.Workers.ServerKey.New();
        var info = new AgentGrid.Contracts.Workers.WorkerInfo { WorkerId = "w-1@n", Model = "m", NodeId = "n", State = "ready", ApiKey = key };

        var stored = new AgentGrid.Grains.Storage.JsonGrainStateSerializer().Serialize(new WorkerGrainState { Info = info }).ToString();
        var shown = System.Text.Json.JsonSerializer.Serialize(info);

        Assert.DoesNotContain(key.Value, stored);
        Assert.DoesNotContain(key.Value, shown);
        Assert.DoesNotContain(key.Value, info.ToString());
        Assert.DoesNotContain(key.Value, new AgentGrid.Contracts.Workers.WorkerLease(1, "w-1@n", "http://x/v1", "m", false, key).ToString());
    }

    private static bool Free(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    // The pid file names this test process as the owner; the sweep must see a dead one.
    private static void RewriteOwner(string folder, int deadPid)
    {
        var file = Directory.GetFiles(folder, "*.pid").Single();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["OwnerPid"] = deadPid;
        json["OwnerStartTicks"] = null;
        File.WriteAllText(file, json.ToJsonString());
    }
}
