using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentGrid.Bench;
using AgentGrid.FrontDoor;
using AgentGrid.Inference.Simulator;
using AgentGrid.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Chat completions straight to the simulator versus through AgentGrid's session API, in one run,
// at the same concurrency, against the same simulator instance.
var options = BenchOptions.Parse(args);
Console.WriteLine($"AgentGrid bench: {options}");

await using var simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
{
    TimeToFirstToken = TimeSpan.FromMilliseconds(options.TtftMs),
    InterTokenLatency = TimeSpan.FromMilliseconds(options.ItlMs),
    TokensPerReply = options.Tokens,
    MaxConcurrency = 4096,
});

var data = Directory.CreateTempSubdirectory("agentgrid-bench-");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Urls"] = "http://127.0.0.1:0",
    ["AgentGrid:Embedded:DataDirectory"] = data.FullName,
    ["AgentGrid:Embedded:SiloPort"] = "21111",
    ["AgentGrid:Embedded:GatewayPort"] = "40000",
    ["AgentGrid:Inference:Models:bench:BaseUrl"] = simulator.BaseUrl.ToString(),
    ["AgentGrid:Inference:Models:bench:Model"] = SimulatorOptions.DefaultModelId,
});
builder.Logging.ClearProviders();
builder.UseAgentGridEmbedded();
var app = builder.Build();
app.MapAgentGridFrontDoor();
await app.StartAsync();
var gridAddress = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
const string systemPrompt = "You are a concise assistant for the bench.";

async Task DirectAsync(int worker, int n)
{
    var body = new
    {
        model = SimulatorOptions.DefaultModelId,
        messages = new object[] { new { role = "system", content = systemPrompt }, new { role = "user", content = $"Question {n} from worker {worker}" } },
    };
    using var response = await http.PostAsJsonAsync(new Uri(simulator.BaseUrl + "/chat/completions"), body);
    response.EnsureSuccessStatusCode();
    var completion = await response.Content.ReadFromJsonAsync<JsonObject>();
    _ = completion!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
}

var agent = await (await http.PostAsJsonAsync($"{gridAddress}/api/agents", new { name = "bench", systemPrompt, model = "bench" }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
var agentId = agent!["id"]!.GetValue<string>();
var sessions = new string?[options.Concurrency];

async Task ThroughGridAsync(int worker, int n)
{
    // A fresh session every few turns keeps the history, and so the prompt, near the direct path's size.
    if (n % options.TurnsPerSession == 0 || sessions[worker] is null)
    {
        var session = await (await http.PostAsJsonAsync($"{gridAddress}/api/sessions", new { agentId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        sessions[worker] = session!["id"]!.GetValue<string>();
    }

    using var response = await http.PostAsJsonAsync($"{gridAddress}/api/sessions/{sessions[worker]}/messages",
        new { content = $"Question {n} from worker {worker}" });
    response.EnsureSuccessStatusCode();
    var turn = await response.Content.ReadFromJsonAsync<JsonObject>();
    _ = turn!["reply"]!["content"]!.GetValue<string>();
}

await LoadRunner.RunAsync("warmup-direct", options.Warmup, options.Concurrency, DirectAsync);
await LoadRunner.RunAsync("warmup-grid", options.Warmup, options.Concurrency, ThroughGridAsync);
var direct = await LoadRunner.RunAsync("direct to simulator", options.Requests, options.Concurrency, DirectAsync);
var grid = await LoadRunner.RunAsync("through AgentGrid", options.Requests, options.Concurrency, ThroughGridAsync);

Console.WriteLine();
Console.WriteLine($"{"path",-22} {"req/s",9} {"p50 ms",9} {"p99 ms",9} {"errors",7}");
foreach (var r in new[] { direct, grid })
{
    Console.WriteLine($"{r.Name,-22} {r.RequestsPerSecond,9:F1} {r.Percentile(50),9:F1} {r.Percentile(99),9:F1} {r.Errors,7}");
}

Console.WriteLine();
Console.WriteLine($"throughput ratio (grid / direct): {grid.RequestsPerSecond / direct.RequestsPerSecond:F3}");
Console.WriteLine($"p50 latency ratio (grid / direct): {grid.Percentile(50) / direct.Percentile(50):F3}  (+{grid.Percentile(50) - direct.Percentile(50):F1} ms)");
Console.WriteLine($"p99 latency ratio (grid / direct): {grid.Percentile(99) / direct.Percentile(99):F3}  (+{grid.Percentile(99) - direct.Percentile(99):F1} ms)");

await app.StopAsync();
await app.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
data.Delete(recursive: true);
return direct.Errors + grid.Errors == 0 ? 0 : 1;
