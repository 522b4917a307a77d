using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>Profiles, nodes and workers over HTTP on the embedded default (two simulated 80 GB GPUs).</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class GpuGridApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    internal static string SimulatorProfile(string name, string memory = "20GB", int concurrent = 4, int queue = 4, string ttftMs = "5") => $$"""
        name: {{name}}
        category: chat
        source: { type: local, model_id: agentgrid-simulator }
        container: { runtime: simulator }
        parameters: { ttft_ms: "{{ttftMs}}", itl_ms: "1", tokens_per_reply: "6", load_ms: "50" }
        resources: { gpu_memory_min: {{memory}} }
        performance: { max_batch_size: {{concurrent}}, max_concurrent_requests: {{concurrent}}, max_queue: {{queue}} }
        scaling: { max_replicas: 2, cooldown_seconds: 600 }
        """;

    private Task<HttpResponseMessage> PostYamlAsync(string yaml, string type = "application/yaml") =>
        Http.PostAsync("/api/profiles", new StringContent(yaml, Encoding.UTF8, type));

    private async Task<string> CreateProfileAsync(string memory = "20GB", int concurrent = 4, int queue = 4, string ttftMs = "5")
    {
        var name = Api.UniqueName("sim");
        await (await PostYamlAsync(SimulatorProfile(name, memory, concurrent, queue, ttftMs))).JsonAsync(HttpStatusCode.Created);
        return name;
    }

    private async Task<string> StartReadyWorkerAsync(string model)
    {
        var started = await (await Http.PostJsonAsync("/api/workers", new { model })).JsonAsync(HttpStatusCode.Accepted);
        var id = started["workerId"]!.GetValue<string>();
        await Eventually.TrueAsync(async () =>
            (await Http.GetFromJsonNodeAsync($"/api/workers/{id}")).Value<string>("worker.state") == "ready", TimeSpan.FromSeconds(30), $"worker {id} to be ready");
        return id;
    }

    private async Task StopAsync(string workerId)
    {
        await (await Http.DeleteAsync($"/api/workers/{workerId}")).JsonAsync(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () =>
            (await Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "stopped", TimeSpan.FromSeconds(30), $"worker {workerId} to stop");
    }

    [Fact]
    public async Task Profiles_are_listed_by_category_and_read_by_name()
    {
        var groups = await (await Http.GetAsync("/api/profiles")).JsonArrayAsync();
        var categories = groups.Select(g => g!["category"]!.GetValue<string>()).ToList();
        Assert.Equal(categories.Order(StringComparer.Ordinal), categories);
        Assert.Contains("embedding", categories);

        var coding = await (await Http.GetAsync("/api/profiles?category=coding")).JsonArrayAsync();
        Assert.Equal("coding", Assert.Single(coding)!["category"]!.GetValue<string>());

        var profile = await (await Http.GetAsync("/api/profiles/sim-chat-8b")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("simulator", profile.Value<string>("container.runtime"));
        Assert.Equal(18432, profile.Value<int>("resources.gpuMemoryMinMiB"));

        await (await Http.GetAsync("/api/profiles/no-such-profile")).ProblemAsync(404, "profile_not_found");
    }

    [Fact]
    public async Task A_profile_is_created_from_yaml_or_json_and_its_name_is_then_taken()
    {
        var name = Api.UniqueName("yaml");
        var created = await (await PostYamlAsync(SimulatorProfile(name))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("api", created["origin"]!.GetValue<string>());
        Assert.Equal(name, (await (await Http.GetAsync($"/api/profiles/{name}")).JsonAsync(HttpStatusCode.OK))["name"]!.GetValue<string>());

        await (await PostYamlAsync(SimulatorProfile(name))).ProblemAsync(409, "profile_already_exists", "name");

        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = Api.UniqueName("json"),
            ["category"] = "coding",
            ["source"] = new { type = "ollama", model_id = "qwen2.5-coder:7b" },
            ["container"] = new { runtime = "ollama" },
            ["resources"] = new { gpu_memory_min = "6GB" },
        });
        await (await Http.PostAsync("/api/profiles", new StringContent(json, Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("resources: { gpu_memory_min: 20GB }", "resources: { gpu_memory_min: plenty }", "resources.gpu_memory_min")]
    [InlineData("container: { runtime: simulator }", "container: { runtime: docker }", "container.runtime")]
    [InlineData("category: chat", "category: chat\nflavour: vanilla", "flavour")]
    [InlineData("parameters: { ttft_ms: \"5\",", "parameters: { ttft_ms: \"-1\",", "parameters.ttft_ms")]
    [InlineData("category: chat", "category: [chat", "body")]
    public async Task An_invalid_profile_gets_400_naming_the_field(string from, string to, string field)
    {
        var yaml = SimulatorProfile(Api.UniqueName("bad")).Replace(from, to);

        await (await PostYamlAsync(yaml)).ProblemAsync(400, "validation_failed", field);
    }

    [Fact]
    public async Task A_profile_body_must_be_yaml_or_json_and_not_empty()
    {
        await (await PostYamlAsync(SimulatorProfile(Api.UniqueName("txt")), "text/plain")).ProblemAsync(415, "unsupported_media_type");
        await (await PostYamlAsync("   ")).ProblemAsync(400, "validation_failed", "body");
    }

    [Fact]
    public async Task Nodes_show_the_simulated_gpus_of_the_embedded_default()
    {
        var nodes = await (await Http.GetAsync("/api/nodes")).JsonArrayAsync();

        var node = Assert.Single(nodes)!;
        Assert.Equal("declared", node["discovery"]!.GetValue<string>());
        Assert.Equal([81920, 81920], node["gpus"]!.AsArray().Select(g => g.Value<int>("device.totalMiB")));
        var id = node["nodeId"]!.GetValue<string>();
        Assert.Equal(id, (await (await Http.GetAsync($"/api/nodes/{id}")).JsonAsync(HttpStatusCode.OK))["nodeId"]!.GetValue<string>());
        await (await Http.GetAsync("/api/nodes/no-such-node")).ProblemAsync(404, "node_not_found");
    }

    [Fact]
    public async Task A_worker_is_placed_serves_an_agent_and_is_drained_and_stopped()
    {
        var model = await CreateProfileAsync(memory: "20GB");
        var workerId = await StartReadyWorkerAsync(model);
        var node = (await Http.GetFromJsonNodeAsync("/api/nodes"))[0]!;
        Assert.Equal(20480, node["gpus"]!.AsArray().Sum(g => g!["reservedMiB"]!.GetValue<int>()));

        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), model, systemPrompt = "Be brief." });
        var sessionId = await Http.OpenSessionAsync(agentId);
        var reply = await (await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "hello" })).JsonAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(reply.Value<string>("reply.content")));

        var pool = await (await Http.GetAsync($"/api/pools/{model}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, pool["admitted"]!.GetValue<int>());

        await StopAsync(workerId);
        node = (await Http.GetFromJsonNodeAsync("/api/nodes"))[0]!;
        Assert.Equal(0, node["gpus"]!.AsArray().Sum(g => g!["reservedMiB"]!.GetValue<int>()));

        // A stopped worker stays stopped; it cannot be swapped.
        Assert.Equal("stopped", (await (await Http.DeleteAsync($"/api/workers/{workerId}")).JsonAsync(HttpStatusCode.Accepted))["state"]!.GetValue<string>());
        await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { profile = model })).ProblemAsync(409, "worker_state_conflict");
    }

    [Fact]
    public async Task Saturation_gets_429_capacity_exhausted_with_retry_after()
    {
        var model = await CreateProfileAsync(memory: "10GB", concurrent: 1, queue: 0, ttftMs: "20000");
        var workerId = await StartReadyWorkerAsync(model);
        // A client that leaves without draining: the held request ends when this client is disposed.
        var holder = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Http.BaseAddress };
        holder.DefaultRequestHeaders.Authorization = Http.DefaultRequestHeaders.Authorization;
        try
        {
            var first = holder.PostChatAsync(new { model, messages = new[] { new { role = "user", content = "take the only slot" } }, stream = true });
            await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/pools/{model}")).Value<int>("admitted") == 1,
                TimeSpan.FromSeconds(30), "the first request to hold the worker");

            var openAi = await Http.PostChatAsync(new { model, messages = new[] { new { role = "user", content = "and me?" } } });
            Assert.Equal(HttpStatusCode.TooManyRequests, openAi.StatusCode);
            Assert.True(openAi.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {openAi.Headers.RetryAfter}");
            Assert.Equal("capacity_exhausted", JsonNode.Parse(await openAi.Content.ReadAsStringAsync()).Value<string>("error.code"));

            var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), model });
            var sessionId = await Http.OpenSessionAsync(agentId);
            var rest = await Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "me too?" });
            Assert.NotNull(rest.Headers.RetryAfter?.Delta);
            await rest.ProblemAsync(429, "capacity_exhausted");
            var history = await Http.GetFromJsonNodeAsync($"/api/sessions/{sessionId}/messages");
            Assert.Equal("me too?", Assert.Single(history.AsArray())!["content"]!.GetValue<string>());

            Assert.False(first.IsFaulted, "the first request was admitted and still runs");
        }
        finally
        {
            holder.Dispose();
            await StopAsync(workerId);
        }
    }

    [Fact]
    public async Task A_load_step_scales_workers_up_and_back_to_zero()
    {
        var model = Api.UniqueName("step");
        var yaml = SimulatorProfile(model, memory: "10GB", ttftMs: "1500")
            .Replace("scaling: { max_replicas: 2, cooldown_seconds: 600 }",
                "scaling: { min_replicas: 0, max_replicas: 2, target_in_flight_per_replica: 1, cooldown_seconds: 1, scale_to_zero_after_seconds: 2 }");
        await (await PostYamlAsync(yaml)).JsonAsync(HttpStatusCode.Created);
        var most = 0;

        // Three requests at once on a pool with no worker: the first starts one, the load asks for a second.
        var step = Enumerable.Range(0, 3).Select(i => Http.PostChatAsync(new { model, messages = new[] { new { role = "user", content = $"step {i}" } } })).ToList();
        await Eventually.TrueAsync(async () => (most = Math.Max(most, (await Http.GetFromJsonNodeAsync($"/api/pools/{model}")).Value<int>("readyReplicas"))) == 2,
            TimeSpan.FromSeconds(30), "two workers under the load step");
        foreach (var response in await Task.WhenAll(step))
        {
            await response.JsonAsync(HttpStatusCode.OK);
        }

        await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/workers?model={model}")).AsArray() is { Count: 2 } workers
            && workers.All(w => w.Value<string>("worker.state") == "stopped"), TimeSpan.FromSeconds(30), "both workers to be stopped (scaled to zero)");
        Assert.Equal(2, most);
        var node = (await Http.GetFromJsonNodeAsync("/api/nodes"))[0]!;
        Assert.Equal(0, node["gpus"]!.AsArray().Sum(g => g!["reservedMiB"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_worker_requests_get_their_own_errors()
    {
        await (await Http.PostJsonAsync("/api/workers", new { })).ProblemAsync(400, "validation_failed", "model");
        await (await Http.PostJsonAsync("/api/workers", new { model = "no-such-profile" })).ProblemAsync(404, "profile_not_found", "model");
        var huge = await CreateProfileAsync(memory: "100GB");
        var tooBig = await (await Http.PostJsonAsync("/api/workers", new { model = huge })).ProblemAsync(409, "insufficient_gpu_capacity");
        Assert.Contains("100GB", tooBig["detail"]!.GetValue<string>());
        var model = await CreateProfileAsync();
        await (await Http.PostJsonAsync("/api/workers", new { model, node = "no-such-node" })).ProblemAsync(404, "node_not_found", "node");

        await (await Http.GetAsync("/api/workers/not-a-worker")).ProblemAsync(404, "worker_not_found");
        await (await Http.GetAsync("/api/workers/w-0123456789ab@no-such-node")).ProblemAsync(404, "worker_not_found");
        await (await Http.DeleteAsync("/api/workers/not-a-worker")).ProblemAsync(404, "worker_not_found");
        await (await Http.PostJsonAsync("/api/workers/not-a-worker/swap", new { profile = model })).ProblemAsync(404, "worker_not_found");
        await (await Http.GetAsync("/api/pools/no-such-profile")).ProblemAsync(404, "profile_not_found");
    }

    [Fact]
    public async Task Swap_needs_a_known_other_profile_then_moves_the_worker()
    {
        var from = await CreateProfileAsync(memory: "10GB");
        var to = await CreateProfileAsync(memory: "12GB");
        var workerId = await StartReadyWorkerAsync(from);
        try
        {
            await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { })).ProblemAsync(400, "validation_failed", "profile");
            await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { profile = "no-such-profile" })).ProblemAsync(404, "profile_not_found", "profile");
            await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { profile = from })).ProblemAsync(400, "validation_failed", "profile");
            var huge = await CreateProfileAsync(memory: "100GB");
            await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { profile = huge })).ProblemAsync(409, "insufficient_gpu_capacity");
            Assert.Equal("ready", (await Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state"));

            await (await Http.PostJsonAsync($"/api/workers/{workerId}/swap", new { profile = to })).JsonAsync(HttpStatusCode.Accepted);
            await Eventually.TrueAsync(async () => (await Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")) is var w
                && w.Value<string>("worker.model") == to && w.Value<string>("worker.state") == "ready", TimeSpan.FromSeconds(30), "the swap to finish");
            var node = (await Http.GetFromJsonNodeAsync("/api/nodes"))[0]!;
            Assert.Equal(12288, node["gpus"]!.AsArray().Sum(g => g!["reservedMiB"]!.GetValue<int>()));
        }
        finally
        {
            await StopAsync(workerId);
        }
    }
}
