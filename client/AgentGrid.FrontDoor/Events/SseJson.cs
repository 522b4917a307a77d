using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.Events;

/// <summary>
/// Server-sent events written by the framework's <see cref="SseFormatter"/>, each event's data serialized as JSON
/// straight into its buffer and written to the response as it comes (Kestrel sends each write at once; nothing here
/// buffers responses). For streams that start the response themselves: a session's stream sends its headers before
/// the first event (an idle session's stream opens at once), and <c>/v1</c> only after the first chunk (so an early
/// error is an ordinary error response). Streams that simply start with an event use <c>TypedResults.ServerSentEvents</c>.
/// </summary>
public static class SseJson
{
    /// <summary>Data written as is rather than as JSON: the OpenAI stream's closing <c>[DONE]</c>.</summary>
    public sealed record Raw(string Text);

    /// <summary>Sends the headers at once, then writes the events as they come.</summary>
    public static async Task WriteAsync(HttpResponse response, IAsyncEnumerable<SseItem<object>> events, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken);
        await WriteEventsAsync(response, events, options, cancellationToken);
    }

    /// <summary>Writes the events as they come; the caller has set the headers (and may have sent them).</summary>
    public static Task WriteEventsAsync(HttpResponse response, IAsyncEnumerable<SseItem<object>> events, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        Utf8JsonWriter? json = null;
        return SseFormatter.WriteAsync(events, response.Body, (item, buffer) =>
        {
            if (item.Data is Raw raw)
            {
                buffer.Write(System.Text.Encoding.UTF8.GetBytes(raw.Text));
                return;
            }

            // One writer per stream, pointed at each event's buffer in turn.
            if (json is null)
            {
                json = new Utf8JsonWriter(buffer);
            }
            else
            {
                json.Reset(buffer);
            }

            JsonSerializer.Serialize(json, item.Data, item.Data.GetType(), options);
            json.Flush();
        }, cancellationToken);
    }
}
