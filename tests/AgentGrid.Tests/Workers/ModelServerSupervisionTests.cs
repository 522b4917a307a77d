using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Tests.Infrastructure;
using Orleans.Streams;

namespace AgentGrid.Tests.Workers;

/// <summary>Workers launch, supervise and stop real server processes, as they would vLLM on a GPU node.</summary>
[Collection(LaunchGridCollection.Name)]
public sealed class ModelServerSupervisionTests(LaunchGridFixture grid)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    // The silo's own environment minus the secret: what a server may see is only this allow-list and what its launcher adds.
    private static readonly HashSet<string> Allowed =
    [
        "PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR", "HF_HOME", "HF_HUB_CACHE", "CUDA_DEVICE_ORDER", "CUDA_VISIBLE_DEVICES",
        "VLLM_API_KEY", "API_KEY", "LLAMA_API_KEY", "LLAMA_CACHE", "FAKE_ITL_MS", "FAKE_TOKENS",
        // Set by bash itself.
        "PWD", "SHLVL", "_", "OLDPWD",
    ];

    [Theory]
    [InlineData("vllm", "--gpu-memory-utilization", "0.22")]
    [InlineData("tgi", "--cuda-memory-fraction", "0.22")]
    [InlineData("llama_cpp", "--n-gpu-layers", "999")]
    [InlineData("sglang", "--mem-fraction-static", "0.22")]
    public async Task Each_runtime_starts_pinned_to_its_gpu_with_its_memory_share_its_key_and_none_of_the_silos_secrets(string runtime, string memoryFlag, string memoryValue)
    {
        var profile = await grid.CreateAsync(ChatProfile(runtime));
        var worker = await grid.StartReadyAsync(profile);
        try
        {
            var (arguments, environment, _) = grid.RecordOf(worker);

            Assert.Equal(LaunchGridFixture.GpuUuid, environment["CUDA_VISIBLE_DEVICES"]);
            Assert.InRange(new Uri(worker.Endpoint!).Port, LaunchGridFixture.ServerPorts.First, LaunchGridFixture.ServerPorts.Last);
            Assert.Equal(memoryValue, arguments[arguments.ToList().IndexOf(memoryFlag) + 1]);
            Assert.DoesNotContain(LaunchGridFixture.SiloSecretVariable, environment.Keys);
            Assert.DoesNotContain(environment.Keys, k => !Allowed.Contains(k));
            Assert.Equal(worker.ApiKey!.Value, runtime switch
            {
                "vllm" => environment["VLLM_API_KEY"],
                "tgi" => environment["API_KEY"],
                "llama_cpp" => environment["LLAMA_API_KEY"],
                _ => arguments[arguments.ToList().IndexOf("--api-key") + 1],
            });

            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(worker, worker.ApiKey.Value)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(worker, "not-the-key")).StatusCode);
        }
        finally
        {
            await grid.StopAsync(worker);
        }
    }

    [Fact]
    public async Task An_embedding_profile_runs_on_tei_and_answers_embeddings_of_its_dimensions()
    {
        var profile = await grid.CreateAsync($$"""
            name: {{Api.UniqueName("embed")}}
            category: embedding
            dimensions: 384
            source: { type: huggingface, model_id: BAAI/bge-small-en-v1.5 }
            container: { runtime: tei }
            resources: { gpu_memory_min: 2GB }
            """);
        var worker = await grid.StartReadyAsync(profile);
        try
        {
            var (arguments, environment, _) = grid.RecordOf(worker);
            Assert.Equal(["--model-id", "BAAI/bge-small-en-v1.5"], arguments.Take(2));
            Assert.Equal(worker.ApiKey!.Value, environment["API_KEY"]);

            using var request = new HttpRequestMessage(HttpMethod.Post, $"{worker.Endpoint}/embeddings")
            {
                Content = new StringContent($$"""{"model":"{{worker.ServedModel}}","input":["a","b"]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", worker.ApiKey.Value);
            var body = await (await Http.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(384, body["data"]![1]!["embedding"]!.AsArray().Count);
        }
        finally
        {
            await grid.StopAsync(worker);
        }
    }

    [Fact]
    public async Task A_killed_server_is_restarted_on_its_gpu_and_serves_again()
    {
        var profile = await grid.CreateAsync(ChatProfile("vllm"));
        var worker = await grid.StartReadyAsync(profile);
        try
        {
            var server = grid.Servers.Find(worker.WorkerId)!.Process!;
            ProcessKill(server.Pid);

            var again = await grid.WaitForAsync(worker.WorkerId, w => w.State == WorkerStates.Ready && w.Restarts == 1, "ready after one restart");

            Assert.NotEqual(worker.Endpoint, again.Endpoint);
            Assert.True(server.HasExited);
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(again, again.ApiKey!.Value)).StatusCode);
            Assert.Equal(LaunchGridFixture.GpuUuid, grid.RecordOf(again).Environment["CUDA_VISIBLE_DEVICES"]);
            // The first server's process group is gone with it: its port answers no more.
            await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync($"{worker.Endpoint}/models"));
        }
        finally
        {
            await grid.StopAsync(worker);
        }
    }

    [Fact]
    public async Task A_server_that_keeps_crashing_fails_its_worker_and_frees_its_vram()
    {
        var profile = await grid.CreateAsync($$"""
            name: {{Api.UniqueName("crashing")}}
            category: chat
            source: { type: huggingface, model_id: acme/broken }
            container: { runtime: custom, command: [bash, -c, "echo loading {model_id} on GPUs {gpus}; echo CUDA out of memory >&2; exit 3"] }
            resources: { gpu_memory_min: 30GB }
            """);
        var started = await grid.Pool(profile).StartWorkerAsync(null, "test");

        var failed = await grid.WaitForAsync(started.WorkerId, w => w.State == WorkerStates.Failed, "failed");

        Assert.Contains("crashed 3 times", failed.Reason);
        Assert.DoesNotContain(await grid.Grains.GetGrain<IGpuSchedulerGrain>(0).ListReservationsAsync(), r => r.WorkerId == started.WorkerId);
        var logs = await grid.Grains.GetGrain<IInferenceWorkerGrain>(started.WorkerId).LogsAsync(50);
        Assert.Contains($"loading acme/broken on GPUs {LaunchGridFixture.GpuUuid}", logs!);
        Assert.Contains("CUDA out of memory", logs!);
    }

    [Fact]
    public async Task Stopping_a_worker_lets_its_reply_finish_sends_sigterm_and_frees_its_port()
    {
        var profile = await grid.CreateAsync(ChatProfile("vllm", env: "{ FAKE_ITL_MS: \"100\", FAKE_TOKENS: \"20\" }"));
        var worker = await grid.StartReadyAsync(profile);
        var (_, _, record) = grid.RecordOf(worker);
        var lease = await grid.Pool(profile).AcquireAsync(new RouteRequest("drain-test", []));
        var reply = ChatAsync(worker, worker.ApiKey!.Value, stream: true);

        var stopping = grid.Pool(profile).StopWorkerAsync(worker.WorkerId);
        var text = await (await reply).Content.ReadAsStringAsync();
        await grid.Pool(profile).ReleaseAsync(lease.LeaseId, new LeaseOutcome(true, false, null, null));
        await stopping;
        await grid.WaitForAsync(worker.WorkerId, w => w.State == WorkerStates.Stopped, "stopped");

        Assert.EndsWith("data: [DONE]\n\n", text);
        Assert.Contains("\"finish_reason\":\"stop\"", text);
        Assert.Equal("TERM", File.ReadAllText(record + ".signals").Trim());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, new Uri(worker.Endpoint!).Port));
    }

    [Fact]
    public async Task The_simulator_runtime_is_a_server_process_of_its_own_reached_with_its_key()
    {
        var profile = await grid.CreateAsync($$"""
            name: {{Api.UniqueName("sim")}}
            category: chat
            source: { type: local, model_id: agentgrid-simulator }
            container: { runtime: simulator }
            parameters: { ttft_ms: "5", itl_ms: "1", tokens_per_reply: "4", load_ms: "50" }
            resources: { gpu_memory_min: 20GB }
            """);
        var worker = await grid.StartReadyAsync(profile);
        try
        {
            var server = grid.Servers.Find(worker.WorkerId)!;

            Assert.NotNull(server.Process);
            Assert.NotEqual(Environment.ProcessId, server.Process!.Pid);
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(worker, worker.ApiKey!.Value)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(worker, null)).StatusCode);
            Assert.DoesNotContain(worker.ApiKey.Value, string.Join("\n", grid.Servers.Logs(worker.WorkerId, 100)!));
        }
        finally
        {
            await grid.StopAsync(worker);
        }
    }

    [Fact]
    public async Task Observed_vram_is_attributed_to_the_worker_by_its_servers_process_group_and_overuse_raises_an_event()
    {
        var profile = await grid.CreateAsync(ChatProfile("vllm"));
        var worker = await grid.StartReadyAsync(profile);
        var events = new System.Collections.Concurrent.ConcurrentQueue<WorkerEvent>();
        var subscription = await grid.Cluster.Client.GetStreamProvider(AgentGrid.Contracts.GridNames.StreamProvider)
            .GetStream<WorkerEvent>(Orleans.Runtime.StreamId.Create(AgentGrid.Contracts.GridNames.WorkersStreamNamespace, AgentGrid.Contracts.GridNames.ClusterStreamKey))
            .SubscribeAsync((e, _) => { events.Enqueue(e); return Task.CompletedTask; });
        try
        {
            var server = grid.Servers.Find(worker.WorkerId)!.Process!;
            // The stand-in's child (the simulator) stands for a tensor-parallel worker process of the server: same session.
            var child = System.Diagnostics.Process.GetProcesses().First(p => p.Id != server.Pid && AgentGrid.Grains.Workers.Node.ProcessSignals.SessionOf(p.Id) == server.Pid);
            grid.ReportComputeApps($"{server.Pid}, {LaunchGridFixture.GpuUuid}, 9000\n{child.Id}, {LaunchGridFixture.GpuUuid}, 7000\n1, {LaunchGridFixture.GpuUuid}, 50000");

            var observed = await grid.WaitForAsync(worker.WorkerId, w => w.ObservedMiBPerGpu == 16000, "observed at 16000 MiB");
            Assert.Equal(18432, observed.ReservedMiBPerGpu);

            grid.ReportComputeApps($"{server.Pid}, {LaunchGridFixture.GpuUuid}, 12000\n{child.Id}, {LaunchGridFixture.GpuUuid}, 7000");
            await grid.WaitForAsync(worker.WorkerId, w => w.ObservedMiBPerGpu == 19000, "observed over its reservation");
            await Eventually.TrueAsync(() => events.Any(e => e.Type == WorkerEventTypes.OverReservation && e.WorkerId == worker.WorkerId),
                TimeSpan.FromSeconds(30), "the over-reservation event");
        }
        finally
        {
            grid.ReportComputeApps("");
            await subscription.UnsubscribeAsync();
            await grid.StopAsync(worker);
        }
    }

    [Fact]
    public async Task Ollama_workers_share_the_nodes_ollama_serve_pull_and_load_their_model_and_unload_it_when_stopped()
    {
        // As the profile format's example writes it, with room for two replicas.
        var profile = await grid.CreateAsync($$"""
            name: {{Api.UniqueName("llama3.2-3b")}}
            description: Llama 3.2 3B - Fast chat model
            category: chat
            version: "1.0"
            source: { type: ollama, model_id: "llama3.2:3b" }
            container: { runtime: ollama }
            parameters: { temperature: 0.7, top_p: 0.9, top_k: 40, repeat_penalty: 1.1 }
            resources: { gpu_memory_min: 4GB, cpu_cores: 2, ram: 8GB }
            tags: [chat, general, 3b, fast]
            scaling: { max_replicas: 2 }
            """);
        var first = await grid.StartReadyAsync(profile);
        var second = await grid.StartReadyAsync(profile);
        var server = grid.Servers.Find(first.WorkerId)!.Process!;

        Assert.Same(server, grid.Servers.Find(second.WorkerId)!.Process);
        Assert.Null(first.ApiKey);
        Assert.Equal("llama3.2:3b", first.ServedModel);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(first, null)).StatusCode);
        var logs = (await grid.Grains.GetGrain<IInferenceWorkerGrain>(first.WorkerId).LogsAsync(50))!;
        Assert.Contains("[agentgrid] pulling llama3.2:3b: 50% of 3 MiB", logs);
        Assert.Contains("[agentgrid] llama3.2:3b loaded (keep_alive -1)", logs);
        var root = new Uri(first.Endpoint!).GetLeftPart(UriPartial.Authority);
        Assert.Contains("llama3.2:3b", await Http.GetStringAsync($"{root}/api/ps"));

        await grid.StopAsync(first);
        Assert.False(server.HasExited);
        await grid.StopAsync(second);

        Assert.True(server.HasExited);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(root));
    }

    private static string ChatProfile(string runtime, string env = "{}") => $$"""
        name: {{Api.UniqueName(runtime.Replace('_', '-'))}}
        category: chat
        version: "1.0"
        source: { type: huggingface, model_id: meta-llama/Llama-3.1-8B-Instruct, revision: main }
        container: { runtime: {{runtime}}, env: {{env}} }
        parameters: { max_model_len: 8192 }
        resources: { gpu_memory_min: 18GB, cpu_cores: 4, ram: 16GB }
        performance: { max_batch_size: 8, max_concurrent_requests: 8, max_queue: 8 }
        """;

    private static async Task<HttpResponseMessage> ChatAsync(WorkerInfo worker, string? key, bool stream = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{worker.Endpoint}/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{worker.ServedModel}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Http.SendAsync(request);
    }

    private static void ProcessKill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();
}
