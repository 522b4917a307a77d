using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using AgentGrid.Embeddings;
using AgentGrid.Tests.Infrastructure;
using OpenAI;
using OpenAI.Embeddings;

namespace AgentGrid.Tests.Embeddings;

/// <summary><c>POST /v1/embeddings</c> with the built-in all-MiniLM-L6-v2, through the official OpenAI client and raw JSON.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class EmbeddingsApiTests(FrontDoorFixture fixture)
{
    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    [Fact]
    public async Task The_openai_client_gets_normalised_384_dimension_vectors_that_place_similar_sentences_together()
    {
        var client = new EmbeddingClient(MiniLmEmbeddingGenerator.ModelName, new ApiKeyCredential(fixture.Grid.AdminKey),
            new OpenAIClientOptions { Endpoint = new Uri(fixture.Grid.Address, "/v1") });

        var result = (await client.GenerateEmbeddingsAsync(["A cat sits on the mat.", "A kitten is lying on a rug.", "Quarterly revenue rose by four percent."])).Value;

        var vectors = result.Select(e => e.ToFloats().ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(v), 0.999f, 1.001f));
        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.2f,
            $"cat/kitten {Cosine(vectors[0], vectors[1])} vs cat/revenue {Cosine(vectors[0], vectors[2])}");
        Assert.True(result.Usage.InputTokenCount > 10);
    }

    [Fact]
    public async Task Float_and_base64_encodings_carry_the_same_vector_and_usage_reaches_the_ledger()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));

        var asFloats = await (await member.PostAsJsonAsync("/v1/embeddings", new { model = "all-MiniLM-L6-v2", input = "Orleans grains" })).JsonAsync(HttpStatusCode.OK);
        var asBase64 = await (await member.PostAsJsonAsync("/v1/embeddings", new { model = "all-MiniLM-L6-v2", input = new[] { "Orleans grains" }, encoding_format = "base64" })).JsonAsync(HttpStatusCode.OK);

        var floats = asFloats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var decoded = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(asBase64["data"]![0]!.Value<string>("embedding"))).ToArray();
        Assert.Equal(floats, decoded);
        Assert.Equal("list", asFloats.Value<string>("object"));
        var tokens = asFloats.Value<long>("usage.prompt_tokens");
        Assert.True(tokens > 2);

        var row = Assert.Single((await member.GetFromJsonNodeAsync("/api/usage?groupBy=model")).AsArray())!;
        Assert.Equal(("all-MiniLM-L6-v2", 2L, 2 * tokens), (row.Value<string>("model"), row.Value<long>("requests"), row.Value<long>("inputTokens")));
    }

    [Fact]
    public async Task Bad_embedding_requests_are_refused_in_the_openai_shape()
    {
        async Task ExpectAsync(object body, int status, string code, string? param = null)
        {
            var response = await fixture.Http.PostAsJsonAsync("/v1/embeddings", body);
            var error = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["error"]!;
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(code, error.Value<string>("code"));
            if (param is not null)
            {
                Assert.Equal(param, error.Value<string>("param"));
            }
        }

        await ExpectAsync(new { model = "no-such-embedder", input = "x" }, 404, "model_not_found", "model");
        await ExpectAsync(new { model = "all-MiniLM-L6-v2" }, 400, "validation_failed", "input");
        await ExpectAsync(new { model = "all-MiniLM-L6-v2", input = new[] { new[] { 1, 2, 3 } } }, 400, "validation_failed", "input");
        await ExpectAsync(new { model = "all-MiniLM-L6-v2", input = new[] { "ok", "" } }, 400, "validation_failed", "input[1]");
        await ExpectAsync(new { model = "all-MiniLM-L6-v2", input = "x", encoding_format = "int8" }, 400, "validation_failed", "encoding_format");
        await ExpectAsync(new { model = "all-MiniLM-L6-v2", input = "x", dimensions = 1536 }, 400, "validation_failed", "dimensions");
        Assert.Contains("all-MiniLM-L6-v2", await fixture.Http.GetStringAsync("/v1/models"));
    }

    [Fact]
    public async Task A_text_embeds_the_same_alone_and_in_a_batch_with_longer_texts()
    {
        using var generator = new MiniLmEmbeddingGenerator();

        var alone = (await generator.GenerateAsync(["hello world"]))[0].Vector.ToArray();
        var batch = await generator.GenerateAsync(["a much longer sentence that needs many more word pieces than the first one", "hello world"]);

        var together = batch[1].Vector.ToArray();
        Assert.True(Cosine(alone, together) > 0.9999f);
        Assert.Equal(2, batch.Count);
        Assert.True(generator.Tokenize(new string('a', 5000) + " " + string.Join(' ', Enumerable.Repeat("word", 1000))).Count <= MiniLmEmbeddingGenerator.MaxTokens);
    }
}
