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
        var address = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        var start = new ProcessStartInfo("dotnet", [silo]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Urls"] = address.ToString().TrimEnd('/');
        start.Environment["AgentGrid__Embedded__DataDirectory"] = data.FullName;
        start.Environment["AgentGrid__Embedded__SiloPort"] = Loopback.FreePort().ToString();
        start.Environment["AgentGrid__Embedded__GatewayPort"] = Loopback.FreePort().ToString();
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
        if (await Loopback.AnswersAsync(new Uri(address, "/readyz").ToString(), attempts: 600))
        {
            return grid;
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
}
