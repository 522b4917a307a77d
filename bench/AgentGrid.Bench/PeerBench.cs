using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentGrid.Inference.Simulator;

namespace AgentGrid.Bench;

/// <summary>
/// AgentGrid beside a popular peer, in one run and at one concurrency, against the same zero-latency OpenAI-compatible
/// upstream (the simulator, started by the bench): straight to the upstream; through the Portkey AI gateway (npm
/// <c>@portkey-ai/gateway</c>, installed by the bench into its cache folder, never the repository); through AgentGrid's
/// <c>/v1/chat/completions</c> with a configured model and with an agent; and as AgentGrid session turns. The floors
/// (<see cref="FloorProxy"/>) are reference points: a .NET gateway that only takes the request with Kestrel and passes it
/// on with HttpClient, and one that also makes the model call through the grid's stack (Microsoft.Extensions.AI over the
/// OpenAI SDK) and nothing else.
/// </summary>
public static class PeerBench
{
    public const string PortkeyVersion = "1.15.2";

    public static async Task<int> RunAsync(BenchHost host, BenchOptions options, HttpClient http)
    {
        var paths = options.Paths.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        using var portkey = paths.Contains("portkey") ? await StartPortkeyAsync() : null;
        var upstream = host.Simulator.BaseUrl.ToString().TrimEnd('/');
        using var floor = paths.Contains("floor") ? await FloorProxy.StartAsync(FloorProxy.Bare, upstream) : null;
        using var sdkFloor = paths.Contains("sdk") ? await FloorProxy.StartAsync(FloorProxy.Sdk, upstream) : null;
        var agent = await BenchAgents.CreateAsync(http, host.Grid, "bench-peer");
        var agentName = (await http.GetFromJsonAsync<JsonObject>(new Uri(host.Grid, $"/api/agents/{agent}")))!["name"]!.GetValue<string>();
        var model = (await http.GetFromJsonAsync<JsonArray>(new Uri(host.Grid, "/api/models?probe=false")))!.First(m => m!["isDefault"]!.GetValue<bool>())!["name"]!.GetValue<string>();
        using var plain = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        object Body(int worker, int n, string model) => new
        {
            model,
            messages = new object[] { new { role = "system", content = SessionBench.SystemPrompt }, new { role = "user", content = $"Question {n} from worker {worker}" } },
        };

        async Task PostAsync(HttpClient client, HttpRequestMessage request)
        {
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var completion = await response.Content.ReadFromJsonAsync<JsonObject>();
            _ = completion!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        }

        // Straight to the upstream or through a floor: the upstream's own model name, no key.
        Task PlainAsync(string url, int w, int n) =>
            PostAsync(plain, new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(Body(w, n, SimulatorOptions.DefaultModelId)) });

        Task DirectAsync(int w, int n) => PlainAsync(upstream + "/chat/completions", w, n);

        Task PortkeyAsync(int w, int n)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{portkey!.Address}/v1/chat/completions") { Content = JsonContent.Create(Body(w, n, SimulatorOptions.DefaultModelId)) };
            request.Headers.Add("x-portkey-provider", "openai");
            request.Headers.Add("x-portkey-custom-host", upstream);
            request.Headers.Add("Authorization", "Bearer bench");
            return PostAsync(plain, request);
        }

        Task FloorAsync(int w, int n) => PlainAsync($"{floor!.Address}/v1/chat/completions", w, n);

        Task SdkFloorAsync(int w, int n) => PlainAsync($"{sdkFloor!.Address}/v1/chat/completions", w, n);

        Task GridModelAsync(int w, int n) =>
            PostAsync(http, new HttpRequestMessage(HttpMethod.Post, new Uri(host.Grid, "/v1/chat/completions")) { Content = JsonContent.Create(Body(w, n, model)) });

        Task GridAgentAsync(int w, int n) => PostAsync(http, new HttpRequestMessage(HttpMethod.Post, new Uri(host.Grid, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new { model = agentName, messages = new[] { new { role = "user", content = $"Question {n} from worker {w}" } } }),
        });

        var sessions = new string?[options.Concurrency];
        async Task TurnAsync(int worker, int n)
        {
            if (n % options.TurnsPerSession == 0 || sessions[worker] is null)
            {
                sessions[worker] = await BenchAgents.OpenSessionAsync(http, host.Grid, agent);
            }

            using var response = await http.PostAsJsonAsync(new Uri(host.Grid, $"/api/sessions/{sessions[worker]}/messages"), new { content = $"Question {n} from worker {worker}" });
            response.EnsureSuccessStatusCode();
        }

        var phases = new (string Key, string Name, Func<int, int, Task> Send)[]
        {
            ("direct", "direct to upstream", DirectAsync),
            ("portkey", $"Portkey {PortkeyVersion}", PortkeyAsync),
            ("floor", "floor: bare .NET proxy", FloorAsync),
            ("sdk", "floor + M.E.AI/OpenAI", SdkFloorAsync),
            ("model", "AgentGrid /v1 model", GridModelAsync),
            ("agent", "AgentGrid /v1 agent", GridAgentAsync),
            ("turn", "AgentGrid session turn", TurnAsync),
        }.Where(p => paths.Contains(p.Key)).Select(p => (p.Name, p.Send)).ToList();
        foreach (var (name, send) in phases)
        {
            await LoadRunner.RunAsync("warmup " + name, options.Warmup, options.Concurrency, send);
        }

        var results = new List<LoadResult>();
        foreach (var (name, send) in phases)
        {
            results.Add(await LoadRunner.RunAsync(name, options.Requests, options.Concurrency, send));
        }

        // Without one of them in the run, its ratio column reads NaN.
        var direct = results.Find(r => r.Name.StartsWith("direct", StringComparison.Ordinal))?.RequestsPerSecond ?? double.NaN;
        var peer = results.Find(r => r.Name.StartsWith("Portkey", StringComparison.Ordinal))?.RequestsPerSecond ?? double.NaN;
        var floorRate = results.Find(r => r.Name.StartsWith("floor", StringComparison.Ordinal))?.RequestsPerSecond ?? double.NaN;
        Console.WriteLine();
        Console.WriteLine($"Non-streaming chat completions, c={options.Concurrency}, {options.Requests} requests each, zero-latency upstream ({options.Tokens} tokens a reply)");
        Console.WriteLine($"{"path",-24} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"÷ Portkey",10} {"÷ direct",9} {"÷ floor",8} {"errors",7}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-24} {r.RequestsPerSecond,9:F0} {r.Percentile(50),8:F1} {r.Percentile(99),8:F1} {r.RequestsPerSecond / peer,10:F2} {r.RequestsPerSecond / direct,9:F3} {r.RequestsPerSecond / floorRate,8:F3} {r.Errors,7}");
        }

        return results.Sum(r => r.Errors);
    }

    /// <summary>Installs the gateway into the bench's cache folder (once) and starts it on a free port.</summary>
    private static async Task<ChildServer> StartPortkeyAsync()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "agentgrid-bench", $"portkey-{PortkeyVersion}");
        var server = Path.Combine(folder, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js");
        if (!File.Exists(server))
        {
            Directory.CreateDirectory(folder);
            Console.WriteLine($"Installing @portkey-ai/gateway@{PortkeyVersion} into {folder} ...");
            using var install = Process.Start(new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--prefix", folder, $"@portkey-ai/gateway@{PortkeyVersion}"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            await install.WaitForExitAsync();
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install failed: {await install.StandardError.ReadToEndAsync()}");
            }
        }

        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("node", [server, $"--port={port}", "--headless"]);
        start.Environment["NODE_ENV"] = "production";
        return await Loopback.StartServerAsync(start, $"http://127.0.0.1:{port}", "The Portkey gateway");
    }
}
