using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Completions;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>Writes completion chunks as one OpenAI <c>chat.completion</c> or as an SSE stream of <c>chat.completion.chunk</c>s.</summary>
public sealed class OpenAiCompletionWriter(HttpContext context, string model, bool includeUsage)
{
    private readonly string _id = $"chatcmpl-{Guid.NewGuid():N}";
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A whole completion, as <see cref="CompletionPlane"/> returns it.</summary>
    public Task WholeAsync(CompletionChunk whole) =>
        Results.Json(OpenAiCompletion.Whole(_id, _created, model, whole.Delta ?? "", FinishOf(whole, whole.ToolCalls?.Count ?? 0), Usage(whole), whole.Citations, whole.ToolCalls),
            OpenAiJson.Options).ExecuteAsync(context);

    public Task WholeAsync(ChatTurn turn) => turn.Reply is null
        ? throw OpenAiErrors.AwaitingApproval(turn)
        : WriteWholeAsync(turn.Reply.Content, turn.FinishReason ?? "stop", new OpenAiUsage(turn.InputTokens ?? 0, turn.OutputTokens ?? 0), turn.Reply.Citations);

    public HttpContext Context => context;

    /// <summary>
    /// Streams as SSE. Nothing is sent before the first chunk (or the end), so an error before it becomes an ordinary
    /// error response; one after it is sent as a final <c>data: {"error":…}</c> event, as OpenAI does.
    /// </summary>
    public async Task StreamAsync(IAsyncEnumerable<CompletionChunk> chunks, CancellationToken aborted)
    {
        await using var items = chunks.GetAsyncEnumerator(aborted);
        var more = await items.MoveNextAsync();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        Exception? failed = null;
        await Events.SseJson.WriteEventsAsync(context.Response, EventsAsync(items, more, e => failed = e, aborted), OpenAiJson.Options, aborted);
        if (failed is not null)
        {
            // Headers are sent, so the error handler cannot answer; it still logs the failure.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }

    private async IAsyncEnumerable<SseItem<object>> EventsAsync(
        IAsyncEnumerator<CompletionChunk> items, bool more, Action<Exception> failed, [EnumeratorCancellation] CancellationToken aborted)
    {
        yield return new(OpenAiCompletion.Chunk(_id, _created, model, new OpenAiOutMessage("assistant", "")));
        CompletionChunk? last = null;
        var calls = 0;
        while (more)
        {
            var chunk = items.Current;
            last = Merge(last, chunk);
            if (!string.IsNullOrEmpty(chunk.Delta))
            {
                yield return new(OpenAiCompletion.Chunk(_id, _created, model, new OpenAiOutMessage(null, chunk.Delta)));
            }

            if (chunk.ToolCalls is { Count: > 0 } made)
            {
                yield return new(OpenAiCompletion.Chunk(_id, _created, model, new OpenAiOutMessage(null, null, OpenAiOutMessage.CallsOf(made, calls))));
                calls += made.Count;
            }

            object? error = null;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (AgentGridException e)
            {
                (more, error) = (false, OpenAiErrors.Body(e.Code, e.Message, e.Field, Errors.Problems.StatusFor(e.Code)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var code = e is System.Data.Common.DbException ? ErrorCodes.ServiceUnavailable : ErrorCodes.Internal;
                (more, error) = (false, OpenAiErrors.Body(code, "The reply failed on the server.", null, Errors.Problems.StatusFor(code)));
                failed(e);
            }

            if (error is not null)
            {
                yield return new(error);
                yield break;
            }
        }

        yield return new(OpenAiCompletion.Chunk(_id, _created, model, new OpenAiOutMessage(null, null), FinishOf(last, calls), last?.Citations));
        if (includeUsage)
        {
            yield return new(OpenAiCompletion.UsageChunk(_id, _created, model, Usage(last)));
        }

        yield return new(new Events.SseJson.Raw("[DONE]"));
    }

    private Task WriteWholeAsync(string text, string finishReason, OpenAiUsage usage, IReadOnlyList<AgentGrid.Contracts.Knowledge.Citation>? citations) =>
        Results.Json(OpenAiCompletion.Whole(_id, _created, model, text, finishReason, usage, citations), OpenAiJson.Options).ExecuteAsync(context);

    // Backends report "tool_calls" when the reply called tools; one that does not is corrected, as clients loop on it.
    private static string FinishOf(CompletionChunk? last, int calls) => calls > 0 ? "tool_calls" : last?.FinishReason ?? "stop";

    private static CompletionChunk Merge(CompletionChunk? last, CompletionChunk next) => new()
    {
        FinishReason = next.FinishReason ?? last?.FinishReason,
        InputTokens = next.InputTokens ?? last?.InputTokens,
        OutputTokens = next.OutputTokens ?? last?.OutputTokens,
        Citations = next.Citations ?? last?.Citations,
    };

    private static OpenAiUsage Usage(CompletionChunk? last) => new(last?.InputTokens ?? 0, last?.OutputTokens ?? 0);
}
