using System.Diagnostics;

namespace AgentGrid.Bench;

/// <summary>The embedded grid (silo and front door) as a process of its own, from the repository's build of the silo.</summary>
public sealed class GridProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _data;
    private GridProcess(Process process, DirectoryInfo data, Uri address, string key) => (_process, _data, Address, Key) = (process, data, address, key);

    public Uri Address { get; }

    /// <summary>The grid's bootstrap admin key.</summary>
    public string Key { get; }

    public static async Task<GridProcess> StartAsync(IDictionary<string, string> settings)
    {
        var silo = SiloAssembly();
        var data = Directory.CreateTempSubdirectory("agentgrid-bench-grid-");
        var key = BenchHost.NewKey();
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [silo]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Urls"] = address.ToString().TrimEnd('/');
        start.Environment["AgentGrid__Embedded__DataDirectory"] = data.FullName;
        start.Environment["AgentGrid__Embedded__SiloPort"] = FreePort().ToString();
        start.Environment["AgentGrid__Embedded__GatewayPort"] = FreePort().ToString();
        start.Environment["AgentGrid__Auth__BootstrapKey"] = key;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"grid: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var grid = new GridProcess(process, data, address, key);
        using var probe = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if ((await probe.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return grid;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await grid.DisposeAsync();
        throw new InvalidOperationException("The grid process did not become ready.");
    }

    public HttpClient Client(TimeSpan timeout, int maxConnections = 256)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = Address, Timeout = timeout,
        };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    /// <summary>The grid process's resident memory, from <c>/proc</c>.</summary>
    public double RssMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _data.Delete(recursive: true);
    }

    private static string SiloAssembly()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgentGrid.sln")))
        {
            folder = folder.Parent;
        }

        var candidates = new[] { "Release", "Debug" }.Select(c => Path.Combine(folder?.FullName ?? ".", "silo", "AgentGrid.Silo", "bin", c, "net10.0", "agentgrid-silo.dll"));
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("Build the silo first: dotnet build -c Release silo/AgentGrid.Silo");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
