using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using TestServerProcess = AgentGrid.Tests.Infrastructure.Cluster.ServerProcess;

namespace AgentGrid.Tests.Workers;

/// <summary>The embedded grid as its own process, killed with kill -9 while a worker's model server runs.</summary>
public sealed class SiloKillTests
{
    [Fact]
    public async Task After_kill_9_of_the_silo_its_next_start_stops_the_server_it_left_and_loads_the_worker_again()
    {
        using var data = new TempDirectory();
        var key = EmbeddedGrid.NewKey();
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var model = Api.UniqueName("sim");

        string workerId;
        int orphan;
        Uri health;
        using (var silo = await StartAsync(data.Path, port, key, http, "first"))
        {
            await (await http.PostAsync("/api/profiles", new StringContent(FrontDoor.GpuGridApiTests.SimulatorProfile(model), Encoding.UTF8, "application/yaml")))
                .JsonAsync(HttpStatusCode.Created);
            workerId = (await (await http.PostJsonAsync("/api/workers", new { model })).JsonAsync(HttpStatusCode.Accepted))["workerId"]!.GetValue<string>();
            await ReadyAsync(http, workerId);
            orphan = ServerPid(data.Path);
            health = new Uri(new Uri((await http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.endpoint")), "/health");

            // kill -9 of the silo's process alone, as the kernel's OOM killer or a crash would end it.
            System.Diagnostics.Process.GetProcessById(silo.Id).Kill(entireProcessTree: false);
            await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The server runs in a session of its own: the kill left it running and serving, owned by nobody.
        using (var probe = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync(health)).StatusCode);
        }

        using (await StartAsync(data.Path, port, key, http, "second"))
        {
            await Eventually.TrueAsync(() => !Running(orphan), TimeSpan.FromSeconds(30), "the orphan server to be stopped");
            await ReadyAsync(http, workerId);
            Assert.NotEqual(orphan, ServerPid(data.Path));
            await http.DeleteAsync($"/api/workers/{workerId}");
            await Eventually.TrueAsync(async () => (await http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "stopped",
                TimeSpan.FromSeconds(30), "the worker to stop");
            Assert.Empty(Directory.GetFiles(PidFolder(data.Path), "*.pid"));
        }
    }

    private static async Task<TestServerProcess> StartAsync(string data, int port, string key, HttpClient http, string run)
    {
        var silo = TestServerProcess.Start("dotnet", [SiloAssembly()], Path.Combine(data, $"silo-{run}.log"), new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["AgentGrid__Auth__BootstrapKey"] = key,
            ["AgentGrid__Embedded__DataDirectory"] = data,
            ["AgentGrid__Embedded__SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid__Embedded__GatewayPort"] = FreePort.Next().ToString(),
            ["AgentGrid__Gpu__NodeId"] = "killed-node",
        });
        await Eventually.TrueAsync(async () =>
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"The silo exited: {File.ReadAllText(silo.LogPath)}");
            }

            try
            {
                return (await http.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the silo to be ready");
        return silo;
    }

    // Gone, or a zombie waiting for init to reap it.
    private static bool Running(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat") is var stat && stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');

    private static async Task ReadyAsync(HttpClient http, string workerId) =>
        await Eventually.TrueAsync(async () => (await http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "ready",
            TimeSpan.FromSeconds(60), $"worker {workerId} to be ready");

    private static string PidFolder(string data) => Path.Combine(data, "node", "killed-node", "servers");

    private static int ServerPid(string data) =>
        JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(PidFolder(data), "*.pid"))))!["Pid"]!.GetValue<int>();

    private static string SiloAssembly() =>
        typeof(SiloKillTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloAssembly").Value!;
}
