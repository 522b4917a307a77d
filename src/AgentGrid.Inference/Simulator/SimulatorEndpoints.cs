using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.Inference.Simulator;

/// <summary>The simulator's OpenAI-compatible routes: <c>GET /v1/models</c> and <c>POST /v1/chat/completions</c>.</summary>
public static class SimulatorEndpoints
{
    public static IEndpointRouteBuilder MapInferenceSimulator(this IEndpointRouteBuilder routes, SimulatorEngine engine)
    {
        if (routes is IApplicationBuilder app)
        {
            var expected = engine.Options.ApiKey is { Length: > 0 } key ? "Bearer " + key : null;
            app.Use(async (context, next) =>
            {
                // /health stays open for readiness probes, as on vLLM. With a key, everything that serves or changes a
                // model needs it; without one (a simulator run by hand on loopback), /v1 is open as on a vLLM without
                // --api-key, but /sim, which changes how it behaves, is refused.
                var path = context.Request.Path;
                var guarded = path.StartsWithSegments("/v1") || path.StartsWithSegments("/sim") || path.StartsWithSegments("/info") || path.StartsWithSegments("/api");
                if (expected is null && path.StartsWithSegments("/sim"))
                {
                    await ErrorAsync(context, 401, "invalid_request_error", "invalid_api_key",
                        "/sim needs the simulator to have a key: start it with AGENTGRID_SIMULATOR_API_KEY set and send it as a bearer token.");
                    return;
                }

                if (expected is not null && guarded && !KeyMatches(context.Request.Headers.Authorization.ToString(), expected))
                {
                    await ErrorAsync(context, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
                    return;
                }

                await next(context);
            });
        }

        routes.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = engine.Options.Models.Select(id => new { id, @object = "model", created = 0, owned_by = "agentgrid" }),
        }, WireJson.Options));

        routes.MapPost("/v1/chat/completions", (HttpContext context) => CompleteAsync(context, engine));
        if (engine.Options.OllamaApi)
        {
            routes.MapSimulatedOllama(engine);
        }

        if (engine.Options.EmbeddingDimensions is { } dimensions)
        {
            routes.MapPost("/v1/embeddings", (HttpContext context) => SimulatedEmbeddings.AnswerAsync(context, engine.Options.Models, dimensions));
        }

        routes.MapGet("/health", () => Results.Ok());
        // What text-embeddings-inference answers at /info (its readiness route, behind its key), so the simulator can stand in for it.
        routes.MapGet("/info", () => Results.Json(new { model_id = engine.Options.Models[0], max_client_batch_size = 32 }, WireJson.Options));
        routes.MapGet("/sim/stats", () => Results.Json(engine.Stats(), WireJson.Options));
        routes.MapGet("/sim/faults", () => Results.Json(engine.Faults, WireJson.Options));
        routes.MapPut("/sim/faults", (SimulatorFaults faults) =>
        {
            var problems = faults.Check().ToList();
            if (problems.Count > 0)
            {
                return Results.Json(new WireErrorBody(new WireError(string.Join(" ", problems), "invalid_request_error", null, null)), WireJson.Options, statusCode: 400);
            }

            engine.Faults = faults;
            return Results.Json(engine.Faults, WireJson.Options);
        });
        return routes;
    }

    private static async Task CompleteAsync(HttpContext context, SimulatorEngine engine)
    {
        var aborted = context.RequestAborted;
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ChatCompletionRequest>(context.Request.Body, WireJson.Options, aborted);
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, 400, "invalid_request_error", null, $"Request body is not valid JSON: {e.Message}");
            return;
        }

        if (request?.Messages is not { Count: > 0 } messages)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "messages", "'messages' must be a non-empty array.");
            return;
        }

        if (InvalidSampling(request) is { } problem)
        {
            await ErrorAsync(context, 400, "invalid_request_error", problem.Param, problem.Message);
            return;
        }

        if (request.CacheSalt is "")
        {
            await ErrorAsync(context, 400, "invalid_request_error", "cache_salt", "'cache_salt' must be a non-empty string.");
            return;
        }

        if (request.Model is not { } model || !engine.Serves(model))
        {
            await ErrorAsync(context, 404, "invalid_request_error", "model_not_found", $"The model '{request.Model}' does not exist.");
            return;
        }

        if (engine.Faults.Refuse)
        {
            engine.CountRefused();
            await ErrorAsync(context, 503, "server_error", "service_unavailable", "The server is refusing requests (fault injection).");
            return;
        }

        if (ToolsOf(request) is not { } tools)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "tools", "Each tool must be a function with a name; tool_choice must name one of them.");
            return;
        }

        var prompt = messages.Select(m => (m.Role ?? "user", m.Role == "assistant" && m.ToolCalls is { Count: > 0 } calls
            ? m.Text() + string.Concat(calls.Select(c => c.Function.Name + c.Function.Arguments)) : m.Text())).ToList();
        var limit = request.MaxCompletionTokens ?? request.MaxTokens;
        var toolCall = SimulatedToolCall.Decide(tools.Tools, tools.Choice, prompt);
        var answer = toolCall is null ? SimulatedToolCall.AnswerFromResults(prompt) : null;
        var natural = answer is null ? engine.Options.TokensPerReply : answer.Split(' ').Length;
        var count = Math.Max(1, Math.Min(natural, limit ?? int.MaxValue));
        var finish = toolCall is not null ? "tool_calls" : limit is { } l && l < natural ? "length" : "stop";
        var tokens = toolCall is { } call ? [call.Arguments] : answer is null ? SimulatedReply.Tokens(model, prompt, count) : Words(answer, count);
        var toolCalls = toolCall is { } c ? new[] { new WireToolCall(0, $"call_{Guid.NewGuid():N}"[..29], "function", new WireCallFunction(c.Name, c.Arguments)) } : null;
        var promptTokens = SimulatedReply.CountPromptTokens(prompt);
        if (!engine.Fits(promptTokens + count))
        {
            await ErrorAsync(context, 400, "invalid_request_error", "context_length_exceeded",
                $"This request needs {promptTokens + count} tokens of KV cache; the server holds {engine.Options.KvCacheTokens}.");
            return;
        }

        var id = $"chatcmpl-sim-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        SimulatorEngine.Admission slot;
        try
        {
            slot = await engine.ReserveAsync(prompt, promptTokens, promptTokens + count, aborted, request.CacheSalt);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            engine.CountAbandoned();
            return;
        }

        var usage = new WireUsage(promptTokens, tokens.Count, new WirePromptDetails(slot.CachedTokens));
        using (slot)
        {
            try
            {
                // Latency runs from admission: a queued request waits, then generates at the configured pace.
                var start = Stopwatch.GetTimestamp();
                if (request.Stream)
                {
                    await StreamAsync(context, engine, slot, tokens, toolCalls, start, id, created, model, finish,
                        request.StreamOptions?.IncludeUsage == true ? usage : null);
                    return;
                }

                var text = new System.Text.StringBuilder();
                await foreach (var token in slot.GenerateAsync(tokens, start, aborted))
                {
                    text.Append(token);
                }

                var completion = new WireCompletion(id, "chat.completion", created, model,
                    [new WireChoice(0, toolCalls is null ? new WireOutMessage("assistant", text.ToString()) : new WireOutMessage("assistant", null, toolCalls), null, finish)], usage);
                await Results.Json(completion, WireJson.Options).ExecuteAsync(context);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client went away: generation stops, and is counted before its slot is free again.
                engine.CountAbandoned();
            }
        }
    }

    private static async Task StreamAsync(
        HttpContext context, SimulatorEngine engine, SimulatorEngine.Admission slot, IReadOnlyList<string> tokens, WireToolCall[]? toolCalls, long start,
        string id, long created, string model, string finish, WireUsage? usage)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var aborted = context.RequestAborted;

        async Task WriteAsync(WireCompletion chunk)
        {
            await response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, WireJson.Options) + "\n\n", aborted);
            await response.Body.FlushAsync(aborted);
        }

        var first = true;
        var sent = 0;
        await foreach (var token in slot.GenerateAsync(tokens, start, aborted))
        {
            if (slot.DropAfterTokens is { } drop && sent++ >= drop)
            {
                // A server that dies mid-reply: the connection ends without a finish reason or [DONE].
                engine.CountDropped();
                context.Abort();
                return;
            }

            var delta = toolCalls is null ? new WireOutMessage(first ? "assistant" : null, token) : new WireOutMessage("assistant", null, toolCalls);
            await WriteAsync(new WireCompletion(id, "chat.completion.chunk", created, model, [new WireChoice(0, null, delta, null)], null));
            first = false;
        }

        await WriteAsync(new WireCompletion(id, "chat.completion.chunk", created, model,
            [new WireChoice(0, null, new WireOutMessage(null, null), finish)], null));
        if (usage is not null)
        {
            await WriteAsync(new WireCompletion(id, "chat.completion.chunk", created, model, [], usage));
        }

        await response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    /// <summary>The offered tools and the choice (<c>auto</c>, <c>none</c>, <c>required</c> or a name), or null when malformed.</summary>
    private static (IReadOnlyList<SimulatedToolCall.Tool> Tools, string Choice)? ToolsOf(ChatCompletionRequest request)
    {
        var tools = new List<SimulatedToolCall.Tool>();
        foreach (var tool in request.Tools ?? [])
        {
            if (tool.Type != "function" || string.IsNullOrEmpty(tool.Function?.Name))
            {
                return null;
            }

            tools.Add(new SimulatedToolCall.Tool(tool.Function.Name, tool.Function.Parameters));
        }

        var choice = request.ToolChoice switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
                && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => "auto",
            _ => null,
        };
        return choice is null || (choice is not ("auto" or "none" or "required") && tools.All(t => t.Name != choice)) ? null : (tools, choice);
    }

    private static string[] Words(string text, int count)
    {
        var words = text.Split(' ');
        return [.. words.Take(count).Select((w, i) => i == 0 ? w : " " + w)];
    }

    /// <summary>The range checks real servers make before generating.</summary>
    private static (string Param, string Message)? InvalidSampling(ChatCompletionRequest request) => request switch
    {
        { Temperature: < 0 or > 2 } => ("temperature", "temperature must be between 0 and 2."),
        { TopP: <= 0 or > 1 } => ("top_p", "top_p must be in (0, 1]."),
        { MaxTokens: < 1 } or { MaxCompletionTokens: < 1 } => ("max_tokens", "max_tokens must be at least 1."),
        _ => null,
    };

    private static bool KeyMatches(string presented, string expected) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(expected));

    private static Task ErrorAsync(HttpContext context, int status, string type, string? code, string message) =>
        Results.Json(new WireErrorBody(new WireError(message, type, code, null)), WireJson.Options, statusCode: status)
            .ExecuteAsync(context);
}
