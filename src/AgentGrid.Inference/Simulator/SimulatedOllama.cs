using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The part of Ollama's API that AgentGrid's Ollama workers use, so the simulator can stand in for <c>ollama serve</c>:
/// <c>GET /</c>, <c>POST /api/pull</c> (NDJSON progress, as Ollama streams it), <c>POST /api/generate</c> without a prompt
/// (loads with <c>keep_alive</c>, unloads with <c>keep_alive: 0</c>) and <c>GET /api/ps</c> (what is loaded).
/// </summary>
public static class SimulatedOllama
{
    public static void MapSimulatedOllama(this IEndpointRouteBuilder routes, SimulatorEngine engine)
    {
        var loaded = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        routes.MapGet("/", () => Results.Text("Ollama is running"));
        routes.MapGet("/api/ps", () => Results.Json(new { models = loaded.Keys.Order().Select(name => new { name, model = name, size_vram = 0 }) }));
        routes.MapPost("/api/pull", async (HttpContext context) =>
        {
            var model = await ModelAsync(context);
            context.Response.ContentType = "application/x-ndjson";
            if (model is null)
            {
                await Line(context, new { error = "pull model manifest: file does not exist" });
                return;
            }

            const long total = 4_000_000;
            await Line(context, new { status = "pulling manifest" });
            foreach (var completed in new[] { 0L, total / 2, total })
            {
                await Line(context, new { status = "pulling sha256:5ee4f07cdb9b", digest = "sha256:5ee4f07cdb9b", total, completed });
            }

            engine.AddModel(model);
            await Line(context, new { status = "success" });
        });
        routes.MapPost("/api/generate", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var model = body.RootElement.TryGetProperty("model", out var m) ? m.GetString() : null;
            if (model is null || !engine.Serves(model))
            {
                return Results.Json(new { error = $"model '{model}' not found" }, statusCode: 404);
            }

            var unload = body.RootElement.TryGetProperty("keep_alive", out var keep) && keep.ValueKind == JsonValueKind.Number && keep.GetDouble() == 0;
            _ = unload ? loaded.TryRemove(model, out _) : loaded.TryAdd(model, true);
            return Results.Json(new { model, response = "", done = true, done_reason = unload ? "unload" : "load" });
        });
    }

    private static async Task<string?> ModelAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        return body.RootElement.TryGetProperty("model", out var m) && m.GetString() is { Length: > 0 } model ? model : null;
    }

    private static async Task Line(HttpContext context, object value)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(value) + "\n");
        await context.Response.Body.FlushAsync();
    }
}
