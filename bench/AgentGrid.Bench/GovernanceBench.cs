using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Identity;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Simulator;
using AgentGrid.Silo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.Bench;

/// <summary>
/// What identity and governance cost on the request path: the same load through <c>/v1/chat/completions</c> and
/// through session turns, with authentication, limits, budgets and the usage ledger on (a member key with limits and
/// a budget that never bind) and off (every request taken as an admin without a key lookup, nothing metered).
/// </summary>
public static class GovernanceBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(options.TtftMs),
            InterTokenLatency = TimeSpan.FromMilliseconds(options.ItlMs),
            TokensPerReply = options.Tokens,
            MaxConcurrency = 4096,
        });

        // Both grids run side by side in this process for the whole run, and their measured phases alternate in short
        // rounds (on, off, off, on, ...), so drift in the machine or the process (JIT, GC) falls on both alike.
        await using var on = await Grid.StartAsync(true, simulator, 0);
        await using var off = await Grid.StartAsync(false, simulator, 1);
        foreach (var grid in new[] { on, off })
        {
            await LoadRunner.RunAsync("warmup", options.Warmup, options.Concurrency, (w, n) => grid.CompletionAsync(w, n));
            await LoadRunner.RunAsync("warmup", options.Warmup, options.Concurrency, (w, n) => grid.TurnAsync(w, n, options));
        }

        const int rounds = 4;
        var perPhase = Math.Max(1, options.Requests / rounds);
        var v1 = new Dictionary<Grid, List<LoadResult>> { [on] = [], [off] = [] };
        var turns = new Dictionary<Grid, List<LoadResult>> { [on] = [], [off] = [] };
        // CPU time of the whole process (clients, grids, simulator) per request: steadier than wall time on a shared machine.
        var cpu = new Dictionary<(Grid, string), TimeSpan>();
        async Task<LoadResult> MeasureAsync(Grid grid, string path, Func<int, int, Task> send)
        {
            var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var result = await LoadRunner.RunAsync(grid.Mode, perPhase, options.Concurrency, send);
            cpu[(grid, path)] = cpu.GetValueOrDefault((grid, path)) + (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before);
            return result;
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var grid in round % 2 == 0 ? new[] { on, off } : [off, on])
            {
                v1[grid].Add(await MeasureAsync(grid, "v1", (w, n) => grid.CompletionAsync(w, n)));
                turns[grid].Add(await MeasureAsync(grid, "turns", (w, n) => grid.TurnAsync(w, n, options)));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Identity and governance on versus off (simulator TTFT {options.TtftMs} ms, ITL {options.ItlMs} ms, {options.Tokens} tokens; "
            + $"concurrency {options.Concurrency}; {rounds} alternating rounds of {perPhase} requests per path and mode)");
        Console.WriteLine($"{"path",-30} {"req/s",9} {"p50 ms",9} {"p99 ms",9} {"CPU ms/req",11} {"errors",7}");
        var errors = 0;
        foreach (var (path, key, results) in new[] { ("/v1/chat/completions", "v1", v1), ("session turns", "turns", turns) })
        {
            double CpuPerRequest(Grid grid) => cpu[(grid, key)].TotalMilliseconds / (perPhase * rounds);
            foreach (var grid in new[] { on, off })
            {
                var all = Pooled(results[grid]);
                errors += all.Errors;
                Console.WriteLine($"{path + ", " + grid.Mode,-30} {all.RequestsPerSecond,9:F1} {all.Percentile(50),9:F2} {all.Percentile(99),9:F2} {CpuPerRequest(grid),11:F3} {all.Errors,7}");
            }

            Console.WriteLine($"  CPU per request on/off: {CpuPerRequest(on) / CpuPerRequest(off):F3} (+{CpuPerRequest(on) - CpuPerRequest(off):F3} ms)");
            var (a, b) = (Pooled(results[on]), Pooled(results[off]));
            Console.WriteLine($"  ratio on/off: throughput {a.RequestsPerSecond / b.RequestsPerSecond:F3}, p50 {a.Percentile(50) / b.Percentile(50):F3} "
                + $"(+{a.Percentile(50) - b.Percentile(50):F2} ms), p99 {a.Percentile(99) / b.Percentile(99):F3} (+{a.Percentile(99) - b.Percentile(99):F2} ms); "
                + $"per round: {string.Join(" ", results[on].Zip(results[off], (x, y) => (x.RequestsPerSecond / y.RequestsPerSecond).ToString("F2")))}");
        }

        return errors;
    }

    private static LoadResult Pooled(IReadOnlyList<LoadResult> phases) =>
        new(phases[0].Name, [.. phases.SelectMany(p => p.LatenciesMs)], [], 0, phases.Sum(p => p.WallSeconds), phases.Sum(p => p.Errors));

    /// <summary>One embedded grid of the run, with its key and agent.</summary>
    private sealed class Grid : IAsyncDisposable
    {
        private readonly LoopbackGrid _grid;
        private readonly DirectoryInfo _data;
        private readonly HttpClient _http;
        private readonly string _agentId;
        private readonly string?[] _sessions = new string?[1024];

        private Grid(string mode, LoopbackGrid grid, DirectoryInfo data, HttpClient http, string agentId) =>
            (Mode, _grid, _data, _http, _agentId) = (mode, grid, data, http, agentId);

        public string Mode { get; }

        public static async Task<Grid> StartAsync(bool on, InferenceSimulatorServer simulator, int index)
        {
            var data = Directory.CreateTempSubdirectory("agentgrid-bench-governance-");
            var admin = BenchHost.NewKey();
            var grid = await LoopbackGrid.StartAsync(new Dictionary<string, string?>
            {
                ["AgentGrid:Embedded:DataDirectory"] = data.FullName,
                ["AgentGrid:Embedded:SiloPort"] = (21111 + index).ToString(),
                ["AgentGrid:Embedded:GatewayPort"] = (40000 + index).ToString(),
                ["AgentGrid:Embedded:ServiceId"] = $"bench-governance-{index}",
                ["AgentGrid:Auth:BootstrapKey"] = admin,
                ["AgentGrid:Inference:Models:bench:BaseUrl"] = simulator.BaseUrl.ToString(),
                ["AgentGrid:Inference:Models:bench:Model"] = SimulatorOptions.DefaultModelId,
                ["AgentGrid:Inference:Pricing:bench:InputPerMillionUsd"] = "0.5",
                ["AgentGrid:Inference:Pricing:bench:OutputPerMillionUsd"] = "1.5",
            }, logs: false, configure: on ? null : TurnOff);

            var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2), BaseAddress = grid.Address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
            if (on)
            {
                // A member key whose limits and budget are checked on every call but never refuse one.
                var created = await (await http.PostAsJsonAsync("/api/keys", new
                {
                    name = "bench",
                    role = "member",
                    limits = new { requestsPerMinute = 10_000_000, tokensPerMinute = 1_000_000_000_000, concurrentRequests = 100_000 },
                    budget = new { tokens = 1_000_000_000_000_000, costUsd = 1_000_000_000m, period = "month" },
                })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
                http.DefaultRequestHeaders.Authorization = new("Bearer", created!["key"]!.GetValue<string>());
            }

            return new Grid(on ? "on" : "off", grid, data, http, await BenchAgents.CreateAsync(http, grid.Address, "bench-governance"));
        }

        public async Task CompletionAsync(int worker, int n)
        {
            using var response = await _http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "bench-governance",
                messages = new[] { new { role = "user", content = $"Question {n} from worker {worker}" } },
            });
            response.EnsureSuccessStatusCode();
            _ = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        }

        public async Task TurnAsync(int worker, int n, BenchOptions options)
        {
            if (n % options.TurnsPerSession == 0 || _sessions[worker] is null)
            {
                _sessions[worker] = await BenchAgents.OpenSessionAsync(_http, _grid.Address, _agentId);
            }

            using var response = await _http.PostAsJsonAsync($"/api/sessions/{_sessions[worker]}/messages", new { content = $"Question {n} from worker {worker}" });
            response.EnsureSuccessStatusCode();
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _grid.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _data.Delete(recursive: true);
        }
    }

    private static void TurnOff(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new MeteringSwitch { Enabled = false });
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OpenDoor>(OpenDoor.SchemeName, null);
        builder.Services.PostConfigure<AuthenticationOptions>(o =>
            (o.DefaultScheme, o.DefaultAuthenticateScheme, o.DefaultChallengeScheme) = (OpenDoor.SchemeName, OpenDoor.SchemeName, OpenDoor.SchemeName));
    }

    /// <summary>The benchmark's "off": every request is an admin of tenant default, with no key looked up.</summary>
    private sealed class OpenDoor(IOptionsMonitor<AuthenticationSchemeOptions> options, Microsoft.Extensions.Logging.ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "bench-open";

        private static readonly ClaimsPrincipal Admin = CallerClaims.For(new ApiKey
        {
            Id = "key_bench_open",
            Name = "bench",
            Prefix = "bench",
            Role = Role.Admin,
            Tenant = AgentGrid.Contracts.GridNames.DefaultTenant,
            CreatedAt = DateTimeOffset.UnixEpoch,
        }, SchemeName);

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Admin, SchemeName)));
    }
}
