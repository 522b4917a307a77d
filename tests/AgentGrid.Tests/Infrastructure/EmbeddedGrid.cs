using AgentGrid.Silo;
using Microsoft.AspNetCore.Builder;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// The real embedded default (silo + front door + simulator) on loopback ports of its own, with its
/// state in a given folder and a fast simulator. Its admin key is <see cref="AdminKey"/> (the bootstrap key), and
/// <see cref="Http"/> sends it. Set AGENTGRID_TEST_LOGS=1 to see its log.
/// </summary>
public sealed class EmbeddedGrid : IAsyncDisposable
{
    private readonly LoopbackGrid _grid;

    private EmbeddedGrid(LoopbackGrid grid, string? adminKey)
    {
        _grid = grid;
        AdminKey = adminKey ?? "";
        Http = Client(AdminKey);
    }

    /// <summary>The admin key of tenant default; empty when the grid made its own (no bootstrap key was given).</summary>
    public string AdminKey { get; }

    /// <summary>A client of the grid that sends <paramref name="key"/> (none when null or empty).</summary>
    public HttpClient Client(string? key, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = _grid.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (!string.IsNullOrEmpty(key))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public Uri Address => _grid.Address;

    public HttpClient Http { get; }

    public IServiceProvider Services => _grid.Services;

    /// <summary>A new random admin key for a test grid.</summary>
    public static string NewKey() => "agk_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static async Task<EmbeddedGrid> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AgentGrid:Auth:BootstrapKey"] = NewKey(),
            // Every test client comes from 127.0.0.1, and many present bad keys on purpose: the failure limiter is tested on grids of its own.
            ["AgentGrid:Auth:FailureLimit"] = "1000000",
            // Tests poll with member keys; the API limits are tested on grids of their own.
            ["AgentGrid:ApiLimits:KeyRequestsPerMinute"] = "0",
            ["AgentGrid:ApiLimits:TenantRequestsPerMinute"] = "0",
            // New keys and tenants get no default model-call limits here: tests that limit set their own.
            ["AgentGrid:Defaults:KeyLimits:RequestsPerMinute"] = "0",
            ["AgentGrid:Defaults:KeyLimits:ConcurrentRequests"] = "0",
            ["AgentGrid:Defaults:TenantLimits:RequestsPerMinute"] = "0",
            ["AgentGrid:Defaults:TenantLimits:ConcurrentRequests"] = "0",
            ["AgentGrid:Embedded:DataDirectory"] = dataDirectory,
            ["AgentGrid:Embedded:SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid:Inference:Simulator:TimeToFirstToken"] = "00:00:00.002",
            ["AgentGrid:Inference:Simulator:InterTokenLatency"] = "00:00:00",
            ["AgentGrid:Inference:Simulator:TokensPerReply"] = "12",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new EmbeddedGrid(await LoopbackGrid.StartAsync(all, logs: Environment.GetEnvironmentVariable("AGENTGRID_TEST_LOGS") == "1", configure), all["AgentGrid:Auth:BootstrapKey"]);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _grid.DisposeAsync();
    }
}
