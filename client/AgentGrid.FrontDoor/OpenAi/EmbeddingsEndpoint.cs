using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentGrid.Contracts.Embeddings;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c>, as OpenAI defines it: <c>input</c> is a text or an array of texts, <c>encoding_format</c>
/// <c>float</c> (default) or <c>base64</c> (little-endian float32, as the OpenAI SDKs read it).
/// </summary>
public static class EmbeddingsEndpoint
{
    public static RouteHandlerBuilder MapEmbeddings(this RouteGroupBuilder v1) =>
        v1.MapPost("/embeddings", EmbedAsync).WithName("CreateEmbeddings").RequireAuthorization(Identity.Policies.Member);

    public static async Task<IResult> EmbedAsync(OpenAiEmbeddingRequest request, GridServices grid)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw AgentGridException.Validation("model", "model is required, e.g. all-MiniLM-L6-v2.");
        }

        var inputs = Inputs(request.Input);
        var base64 = request.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw AgentGridException.Validation("encoding_format", "encoding_format must be float or base64."),
        };

        var result = await grid.Grains.GetGrain<IEmbeddingGrain>(0).EmbedAsync(new EmbeddingRequest
        {
            Model = request.Model,
            Inputs = inputs,
            Caller = new Caller(grid.Tenant, grid.KeyId),
        });
        if (request.Dimensions is { } dimensions && result.Vectors.Count > 0 && dimensions != result.Vectors[0].Length)
        {
            throw AgentGridException.Validation("dimensions", $"{result.Model} makes vectors of {result.Vectors[0].Length} dimensions only.");
        }

        var data = result.Vectors.Select((vector, index) => new OpenAiEmbedding(
            "embedding", index, base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) : vector)).ToList();
        return Results.Json(new OpenAiEmbeddingList("list", data, result.Model, new OpenAiEmbeddingUsage(result.InputTokens, result.InputTokens)), OpenAiJson.Options);
    }

    private static IReadOnlyList<string> Inputs(JsonElement? input)
    {
        List<string> texts = input switch
        {
            { ValueKind: JsonValueKind.String } text => [text.GetString()!],
            { ValueKind: JsonValueKind.Array } array when array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                [.. array.EnumerateArray().Select(e => e.GetString()!)],
            { ValueKind: JsonValueKind.Array } => throw AgentGridException.Validation("input", "input must be a text or an array of texts; token arrays are not supported."),
            _ => throw AgentGridException.Validation("input", "input is required: a text or an array of texts."),
        };
        if (texts.Count is 0 or > EmbeddingModels.MaxInputs)
        {
            throw AgentGridException.Validation("input", $"input must have 1 to {EmbeddingModels.MaxInputs} texts.");
        }

        if (texts.FindIndex(t => t.Length is 0 or > EmbeddingModels.MaxInputLength) is var bad and >= 0)
        {
            throw AgentGridException.Validation($"input[{bad}]", $"Each text must have 1 to {EmbeddingModels.MaxInputLength} characters.");
        }

        return texts;
    }
}

public sealed class OpenAiEmbeddingRequest
{
    public string? Model { get; set; }
    public JsonElement? Input { get; set; }
    [JsonPropertyName("encoding_format")] public string? EncodingFormat { get; set; }
    public int? Dimensions { get; set; }
    public string? User { get; set; }
}

public sealed record OpenAiEmbedding(string Object, int Index, object Embedding);

public sealed record OpenAiEmbeddingUsage(long PromptTokens, long TotalTokens);

public sealed record OpenAiEmbeddingList(string Object, IReadOnlyList<OpenAiEmbedding> Data, string Model, OpenAiEmbeddingUsage Usage);
