using System.Diagnostics;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Workers.Node;
using AgentGrid.Grains.Workers.Pool;
using AgentGrid.Grains.Workers.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentGrid.Bench;

/// <summary>
/// Load- and prefix-aware routing against round-robin, side by side in one run on one simulated cluster
/// (three nodes, two models, four workers per model and policy). Traffic: multi-turn sessions of agents
/// whose long system prompts follow a skewed (Zipf) popularity, each turn resending the whole history, so
/// a worker that saw the session before has its prefix cached. The same request script runs against each
/// policy's workers.
/// </summary>
public static class RoutingBench
{
    private const int WorkersPerPool = 4;
    private static readonly string[] Models = ["chat", "coder"];
    private static readonly string[] Policies = [RoutingPolicies.LeastLoaded, RoutingPolicies.RoundRobin];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var cluster = await BenchCluster.StartAsync([("gpu-node-1", 2, "80GB"), ("gpu-node-2", 2, "80GB"), ("gpu-node-3", 2, "48GB")]);
        var grains = cluster.Client;
        var registry = grains.GetGrain<IProfileRegistryGrain>(0);
        foreach (var model in Models)
        {
            foreach (var policy in Policies)
            {
                await registry.CreateAsync(Profile(Name(model, policy), policy));
                for (var i = 0; i < WorkersPerPool; i++)
                {
                    await grains.GetGrain<IWorkerPoolGrain>(Name(model, policy)).StartWorkerAsync(null, "bench");
                }
            }
        }

        await WaitForReadyAsync(grains);
        Console.WriteLine();
        Console.WriteLine($"Routing: {Models.Length} models x {WorkersPerPool} workers per policy on 3 nodes; {options.Requests} requests per policy, {options.Concurrency} concurrent sessions");
        Console.WriteLine("(simulated server: TTFT 20 ms + 0.3 ms per uncached prompt token, 4 ms per output token, 16 tokens, batch 8)");
        // Warm-up (other sessions of the same agents) for both policies first, so neither pays for JIT, connections
        // and first activations in its measured run.
        var warmup = Script(options.Warmup, seed: 7);
        foreach (var policy in Policies)
        {
            await RunScriptAsync(grains, warmup, policy, options.Concurrency);
        }

        var script = Script(options.Requests, seed: 42);
        var results = new Dictionary<string, (LoadResult Load, double HitRate, double AffinityShare)>();
        foreach (var policy in Policies)
        {
            var before = await CacheAndAffinityAsync(cluster, grains, policy);
            var load = await RunScriptAsync(grains, script, policy, options.Concurrency);
            var after = await CacheAndAffinityAsync(cluster, grains, policy);
            results[policy] = (load, Rate(after.Cached - before.Cached, after.Prompt - before.Prompt), Rate(after.Hits - before.Hits, after.Admitted - before.Admitted));
        }

        Console.WriteLine($"{"policy",-14} {"req/s",8} {"TTFT mean",10} {"TTFT p50",9} {"TTFT p99",9} {"prefix hits",12} {"errors",7}");
        foreach (var (policy, (load, hitRate, _)) in results)
        {
            Console.WriteLine($"{policy,-14} {load.RequestsPerSecond,8:0.0} {load.TtftsMs.Average(),10:0.0} {load.TtftPercentile(50),9:0.0} {load.TtftPercentile(99),9:0.0} {hitRate,11:P1} {load.Errors,7}");
        }

        var ours = results[RoutingPolicies.LeastLoaded].Load;
        var baseline = results[RoutingPolicies.RoundRobin].Load;
        Console.WriteLine($"least-loaded / round-robin: throughput x{ours.RequestsPerSecond / baseline.RequestsPerSecond:0.00}, mean TTFT x{ours.TtftsMs.Average() / baseline.TtftsMs.Average():0.00}, p99 TTFT x{ours.TtftPercentile(99) / baseline.TtftPercentile(99):0.00}");
        Console.WriteLine($"requests sent to a cache-warm worker by least-loaded (conversation or prefix affinity): {results[RoutingPolicies.LeastLoaded].AffinityShare:P1}");
        await DecisionTimeAsync(grains);
        return results.Values.Sum(r => r.Load.Errors) == 0 ? 0 : 1;
    }

    private static string Name(string model, string policy) => $"{model}-{(policy == RoutingPolicies.RoundRobin ? "rr" : "ll")}";

    private static string Profile(string name, string routing) => $$"""
        name: {{name}}
        category: chat
        source: { type: local, model_id: agentgrid-simulator }
        container: { runtime: simulator }
        parameters: { ttft_ms: "20", itl_ms: "4", tokens_per_reply: "16", prefill_us_per_token: "300", load_penalty_ms: "1", kv_cache_tokens: "200000", load_ms: "100" }
        resources: { gpu_memory_min: 18GB }
        performance: { max_batch_size: 8, max_concurrent_requests: 8, max_queue: 256 }
        scaling: { min_replicas: 0, max_replicas: {{WorkersPerPool}}, cooldown_seconds: 3600, routing: {{routing}} }
        """;

    private sealed record Turn(int Session, string Model, IReadOnlyList<PromptMessage> Prompt);

    /// <summary>Sessions of Zipf-popular agents; each turn carries the agent's long prompt and the history so far.</summary>
    private static List<List<Turn>> Script(int requests, int seed)
    {
        var random = new Random(seed);
        var agents = Enumerable.Range(0, 24).Select(a => string.Join(' ', Enumerable.Range(0, 400 + a * 10).Select(w => $"agent{a}-rule{w}"))).ToArray();
        var weights = agents.Select((_, i) => 1.0 / (i + 1)).ToArray();
        var sessions = new List<List<Turn>>();
        var total = 0;
        while (total < requests)
        {
            var agent = Pick(random, weights);
            var model = Models[agent % Models.Length];
            var turns = random.Next(2, 7);
            var history = new List<PromptMessage> { new("system", agents[agent]) };
            var session = new List<Turn>();
            for (var t = 0; t < turns && total < requests; t++, total++)
            {
                history.Add(new PromptMessage("user", $"session {sessions.Count} question {t}: " + string.Join(' ', Enumerable.Range(0, random.Next(20, 80)).Select(w => $"w{random.Next(1000)}"))));
                session.Add(new Turn(sessions.Count, model, [.. history]));
                history.Add(new PromptMessage("assistant", string.Join(' ', Enumerable.Range(0, 16).Select(w => $"a{random.Next(1000)}"))));
            }

            sessions.Add(session);
        }

        return sessions;
    }

    private static int Pick(Random random, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            if ((x -= weights[i]) <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static async Task<LoadResult> RunScriptAsync(IGrainFactory grains, List<List<Turn>> script, string policy, int concurrency)
    {
        var next = -1;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var ttfts = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            // Each client plays whole sessions, turn after turn, as a chat user does.
            while (Interlocked.Increment(ref next) is var index && index < script.Count)
            {
                foreach (var turn in script[index])
                {
                    var request = new CompletionRequest { Model = Name(turn.Model, policy), Messages = turn.Prompt, Caller = AgentGrid.Contracts.Identity.Caller.System("bench") };
                    var begin = Stopwatch.GetTimestamp();
                    double? ttft = null;
                    try
                    {
                        await foreach (var chunk in grains.GetGrain<IChatCompletionGrain>(Guid.NewGuid()).StreamAsync(request))
                        {
                            ttft ??= string.IsNullOrEmpty(chunk.Delta) ? null : Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                        }

                        latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                        ttfts.Add(ttft ?? 0);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }));
        return new LoadResult(policy, latencies.ToList(), ttfts.ToList(), 0, Stopwatch.GetElapsedTime(started).TotalSeconds, errors);
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static async Task<(long Prompt, long Cached, long Admitted, long Hits)> CacheAndAffinityAsync(InProcessTestCluster cluster, IGrainFactory grains, string policy)
    {
        long prompt = 0, cached = 0, admitted = 0, hits = 0;
        foreach (var model in Models)
        {
            var pool = await grains.GetGrain<IWorkerPoolGrain>(Name(model, policy)).GetStatusAsync();
            admitted += pool.Admitted;
            hits += pool.AffinityHits;
            foreach (var worker in pool.Workers)
            {
                var silo = cluster.Silos.Single(s => s.SiloAddress.ToString() == worker.Worker.Silo);
                var stats = silo.ServiceProvider.GetRequiredService<ModelServerHost>().Simulator(worker.Worker.WorkerId)!.Engine.Stats();
                prompt += stats.PromptTokens;
                cached += stats.CachedPromptTokens;
            }
        }

        return (prompt, cached, admitted, hits);
    }

    private static async Task WaitForReadyAsync(IGrainFactory grains)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            var ready = 0;
            foreach (var model in Models)
            {
                foreach (var policy in Policies)
                {
                    ready += (await grains.GetGrain<IWorkerPoolGrain>(Name(model, policy)).GetStatusAsync()).ReadyReplicas;
                }
            }

            if (ready == Models.Length * Policies.Length * WorkersPerPool)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Only {ready} workers became ready.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>What a routing decision costs: the policy alone, and a pool acquire plus release through the grid.</summary>
    private static async Task DecisionTimeAsync(IGrainFactory grains)
    {
        var candidates = Enumerable.Range(0, 16).Select(i => new RoutingCandidate($"w-{i}", i % 5, 8, 8)).ToList();
        foreach (IRoutingPolicy policy in new IRoutingPolicy[] { new LeastLoadedAffinityPolicy(), new RoundRobinPolicy() })
        {
            const int decisions = 200_000;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < decisions; i++)
            {
                policy.Choose($"session-{i % 5000}", $"agent-{i % 24}", candidates);
            }

            Console.WriteLine($"decision time, {policy.GetType().Name} over 16 workers: {Stopwatch.GetElapsedTime(start).TotalMicroseconds / decisions:0.00} µs");
        }

        var pool = grains.GetGrain<IWorkerPoolGrain>(Name(Models[0], RoutingPolicies.LeastLoaded));
        const int calls = 2000;
        var begin = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            var lease = await pool.AcquireAsync(new RouteRequest($"s{i % 100}", [], "agent"));
            await pool.ReleaseAsync(lease.LeaseId, new LeaseOutcome(true, false, null, null));
        }

        Console.WriteLine($"pool acquire + release through the grid (two grain calls): {Stopwatch.GetElapsedTime(begin).TotalMicroseconds / calls:0} µs per request");
    }
}
