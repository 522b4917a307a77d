using System.Net;
using System.Net.Http.Json;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;

namespace AgentGrid.Tests.Embeddings;

/// <summary>
/// A configured OpenAI-compatible embedding backend: here another AgentGrid's <c>/v1/embeddings</c>, a real server
/// speaking the protocol, reached through the same client as TEI, Ollama, vLLM or OpenAI.
/// </summary>
public sealed class EmbeddingBackendTests
{
    [Fact]
    public async Task A_configured_backend_serves_v1_embeddings_and_knowledge_bases_by_its_name()
    {
        using var backendData = new TempDirectory();
        using var gridData = new TempDirectory();
        await using var backend = await EmbeddedGrid.StartAsync(backendData.Path);
        await using var grid = await EmbeddedGrid.StartAsync(gridData.Path, new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Embeddings:remote-minilm:BaseUrl"] = new Uri(backend.Address, "v1").ToString(),
            ["AgentGrid:Inference:Embeddings:remote-minilm:Model"] = "all-MiniLM-L6-v2",
            ["AgentGrid:Inference:Embeddings:remote-minilm:ApiKey"] = backend.AdminKey,
            ["AgentGrid:Inference:Embeddings:remote-minilm:Dimensions"] = "384",
        });

        var models = (await grid.Http.GetFromJsonNodeAsync("/v1/models"))["data"]!.AsArray().Select(m => m.Value<string>("id"));
        var remote = await (await grid.Http.PostAsJsonAsync("/v1/embeddings", new { model = "remote-minilm", input = "tide tables" })).JsonAsync(HttpStatusCode.OK);
        var local = await (await grid.Http.PostAsJsonAsync("/v1/embeddings", new { model = "all-MiniLM-L6-v2", input = "tide tables" })).JsonAsync(HttpStatusCode.OK);
        var kb = await grid.Http.CreateKnowledgeBaseAsync(new { name = "remote", embeddingModel = "remote-minilm" });
        await grid.Http.UploadReadyAsync(kb, KnowledgeClient.Text("tides.txt", "High tide at the harbour is at six in the morning."));

        Assert.Contains("remote-minilm", models);
        var a = remote["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var b = local["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b) > 0.999f);
        Assert.Equal("tides.txt", (await grid.Http.SearchAsync(kb, "when is the water highest at the port", "vector"))[0].Value<string>("documentName"));
        // The backend metered what it embedded, under the key the grid was configured with.
        var usage = (await backend.Http.GetFromJsonNodeAsync("/api/usage?groupBy=model")).AsArray();
        Assert.True(usage.Single(r => r.Value<string>("model") == "all-MiniLM-L6-v2").Value<long>("requests") >= 3);
    }

    [Fact]
    public async Task A_backend_that_does_not_answer_is_model_unavailable()
    {
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["AgentGrid:Inference:Embeddings:down:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["AgentGrid:Inference:Embeddings:down:Dimensions"] = "8",
        });

        var response = await grid.Http.PostAsJsonAsync("/v1/embeddings", new { model = "down", input = "x" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("model_unavailable", (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["error"]!.Value<string>("code"));
    }
}
