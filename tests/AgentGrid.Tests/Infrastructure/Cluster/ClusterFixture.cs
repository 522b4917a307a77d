using System.Reflection;
using Npgsql;

namespace AgentGrid.Tests.Infrastructure.Cluster;

/// <summary>
/// A cluster-mode grid as users run it on one machine: real PostgreSQL and Redis servers, two silo processes
/// (<c>a</c> and <c>b</c>, each a GPU node with one simulated 80 GB GPU) and a separate front door process.
/// The simulator in each silo paces its replies (40 tokens, 80 ms apart), so there is time to act mid-reply.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _logs = new();
    private readonly Dictionary<string, ServerProcess> _silos = [];
    private readonly Dictionary<string, int> _siloHttp = [];
    private readonly Dictionary<string, int> _gateways = [];
    private readonly TempDirectory _certificates = new();
    private ServerProcess? _frontDoor;

    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The bootstrap admin key the front door is given, as a cluster's secret would give it.</summary>
    public string AdminKey { get; } = EmbeddedGrid.NewKey();

    /// <summary>The grid's secret, given to the front door (key hashes, hub tickets) and the silos (secrets in grain state) alike.</summary>
    public string HashKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The token that reads the silos' <c>/metrics</c> and their <c>/readyz</c> details.</summary>
    public string MetricsToken { get; } = "metrics-" + Guid.NewGuid().ToString("N");

    /// <summary>The certificates of the cluster's members: silos and front door speak mutual TLS, as in the production overlay.</summary>
    public AgentGrid.FrontDoor.Cluster.ClusterTlsOptions Tls { get; private set; } = null!;

    /// <summary>A silo's gateway port, where clients (the front door) connect.</summary>
    public int GatewayPort(string silo) => _gateways[silo];
    /// <summary>Where the processes' logs go: a temp folder, or <c>/tmp/agentgrid-cluster-logs</c> (kept) with AGENTGRID_TEST_LOGS=1.</summary>
    public string LogFolder => Environment.GetEnvironmentVariable("AGENTGRID_TEST_LOGS") == "1"
        ? Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "agentgrid-cluster-logs")).FullName
        : _logs.Path;

    private static string Assembly(string name)
    {
        var path = typeof(ClusterFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: run the tests from the repository root (dotnet test builds the whole solution).");
    }

    public async Task InitializeAsync()
    {
        Tls = new TestPki(_certificates.Path, "AgentGrid cluster test CA").Issue("member");
        Postgres = await PostgresServer.StartAsync();
        Redis = await RedisServer.StartAsync();
        await StartSiloAsync("a");
        await StartSiloAsync("b");
        var port = FreePort.Next();
        _frontDoor = ServerProcess.Start("dotnet", [Assembly("FrontDoorAssembly")], Path.Combine(LogFolder, "frontdoor.log"), new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["AgentGrid__Cluster__Redis"] = Redis.ConnectionString,
            // A call in flight through the gateway of a silo that was killed only ends at this timeout.
            ["AgentGrid__Cluster__GrainCallTimeout"] = "00:00:15",
            ["AgentGrid__Auth__HashKey"] = HashKey,
            ["AgentGrid__Auth__BootstrapKey"] = AdminKey,
        }.Concat(TestPki.Environment(Tls)).ToDictionary());
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        await WaitHealthyAsync(Http, "/readyz", _frontDoor);
    }

    public async Task StartSiloAsync(string name)
    {
        var http = FreePort.Next();
        var gateway = FreePort.Next();
        var silo = ServerProcess.Start("dotnet", [Assembly("SiloAssembly")], Path.Combine(LogFolder, $"silo-{name}.log"), new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{http}",
            ["AgentGrid__Mode"] = "Cluster",
            ["AgentGrid__Cluster__Redis"] = Redis.ConnectionString,
            ["AgentGrid__Cluster__Postgres"] = Postgres.ConnectionString(),
            ["AgentGrid__Cluster__SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid__Cluster__GatewayPort"] = gateway.ToString(),
            ["AgentGrid__Cluster__ProbeTimeout"] = "00:00:01",
            ["AgentGrid__Cluster__GrainCallTimeout"] = "00:00:30",
            ["AgentGrid__Gpu__NodeId"] = $"node-{name}",
            ["AgentGrid__Gpu__Discovery"] = "declared",
            ["AgentGrid__Gpu__Declared__0__Count"] = "1",
            ["AgentGrid__Gpu__RefreshInterval"] = "00:00:01",
            ["AgentGrid__Pools__AutoscaleInterval"] = "00:00:00.200",
            ["AgentGrid__Inference__Simulator__TimeToFirstToken"] = "00:00:00.020",
            ["AgentGrid__Inference__Simulator__InterTokenLatency"] = "00:00:00.080",
            ["AgentGrid__Inference__Simulator__TokensPerReply"] = "40",
            ["AgentGrid__Auth__MetricsToken"] = MetricsToken,
            ["AgentGrid__Auth__HashKey"] = HashKey,
        }.Concat(TestPki.Environment(Tls)).ToDictionary());
        if (_silos.Remove(name, out var previous))
        {
            previous.Dispose();
        }

        _silos[name] = silo;
        _siloHttp[name] = http;
        _gateways[name] = gateway;
        using var health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        await WaitHealthyAsync(health, "/healthz", silo);
    }

    /// <summary>The silo's <c>/readyz</c>: each dependency's status (to the metrics token; anonymous callers get the status alone).</summary>
    public Task<HttpResponseMessage> SiloReadinessAsync(string name, bool withToken = true) => SiloGetAsync(name, "/readyz", withToken);

    /// <summary>GET on a silo's own HTTP port, with or without the metrics token.</summary>
    public async Task<HttpResponseMessage> SiloGetAsync(string name, string path, bool withToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (withToken)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MetricsToken);
        }

        var response = await http.GetAsync($"http://127.0.0.1:{_siloHttp[name]}{path}");
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>kill -9: the silo gets no chance to hand anything over.</summary>
    public void KillSilo(string name) => _silos[name].Kill();

    /// <summary>What the front door has logged so far.</summary>
    public string FrontDoorLog()
    {
        using var reader = new StreamReader(new FileStream(_frontDoor!.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    private static async Task WaitHealthyAsync(HttpClient http, string path, ServerProcess process) =>
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process exited; its log: {File.ReadAllText(process.LogPath)}");
            }

            try
            {
                return (await http.GetAsync(path)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"{http.BaseAddress}{path} to answer (log: {process.LogPath})");

    /// <summary>The stored JSON state of a grain, read straight from PostgreSQL.</summary>
    public async Task<string?> StoredStateAsync(string grainType, string key)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString());
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE graintypestring = @type AND grainidextensionstring = @key", connection);
        query.Parameters.AddWithValue("type", grainType);
        query.Parameters.AddWithValue("key", key);
        return await query.ExecuteScalarAsync() as string;
    }

    /// <summary>The bodies of a partition's rows in <c>agentgrid_records</c>, in id order, joined.</summary>
    public async Task<string> StoredRecordsAsync(string partition)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString());
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT coalesce(string_agg(convert_from(body, 'UTF8'), E'\n' ORDER BY id), '') FROM agentgrid_records WHERE partition = @p", connection);
        query.Parameters.AddWithValue("p", partition);
        return (string)(await query.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        _frontDoor?.Dispose();
        foreach (var silo in _silos.Values)
        {
            silo.Dispose();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        _logs.Dispose();
        _certificates.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
