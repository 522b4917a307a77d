using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The simulator's embedding mode (<c>POST /v1/embeddings</c>): each text gets a unit vector derived from its SHA-256, the same
/// for the same text on every run, so callers can index and search with it. Not semantic: equal texts match, others do not.
/// </summary>
public static class SimulatedEmbeddings
{
    public static async Task AnswerAsync(HttpContext context, IReadOnlyList<string> models, int dimensions)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await Results.Json(Error($"Request body is not valid JSON: {e.Message}"), statusCode: 400).ExecuteAsync(context);
            return;
        }

        var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (model is null || !models.Contains(model))
        {
            await Results.Json(Error($"The model '{model}' does not exist."), statusCode: 404).ExecuteAsync(context);
            return;
        }

        List<string>? texts = body.TryGetProperty("input", out var input) ? input.ValueKind switch
        {
            JsonValueKind.String => [input.GetString()!],
            JsonValueKind.Array when input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => [.. input.EnumerateArray().Select(e => e.GetString()!)],
            _ => null,
        } : null;
        if (texts is not { Count: > 0 })
        {
            await Results.Json(Error("'input' must be a text or an array of texts."), statusCode: 400).ExecuteAsync(context);
            return;
        }

        var tokens = texts.Sum(t => Math.Max(1, t.Length / 4));
        await Results.Json(new
        {
            @object = "list",
            model,
            data = texts.Select((t, i) => new { @object = "embedding", index = i, embedding = Vector(t, dimensions) }),
            usage = new { prompt_tokens = tokens, total_tokens = tokens },
        }).ExecuteAsync(context);
    }

    public static float[] Vector(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var random = new Random(BitConverter.ToInt32(seed, 0));
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    private static object Error(string message) => new { error = new { message, type = "invalid_request_error" } };
}
