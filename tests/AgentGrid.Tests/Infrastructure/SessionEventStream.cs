using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>One event of a session's SSE stream: its SSE id, the event, its JSON as sent, and whether a watched task had completed when it came.</summary>
public sealed record SessionEventFrame(string? Id, SessionEvent Event, JsonObject Json, bool WatchedDone);

/// <summary>Reads <c>GET /api/sessions/{id}/events</c> as EventSource does.</summary>
public static class SessionEventStream
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads events until one ends a turn.</summary>
    /// <param name="watched">A task whose completion is recorded for each frame as it arrives.</param>
    /// <param name="opened">Called once the stream's headers have arrived (the session then knows of this follower).</param>
    public static async Task<List<SessionEventFrame>> ReadTurnAsync(HttpClient http, string path, string? lastEventId = null, Func<Task?>? watched = null, Action? opened = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        opened?.Invoke();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var frames = new List<SessionEventFrame>();
        // As EventSource does: an event's fields (in any order) take effect at the blank line that ends it.
        string? id = null, data = null;
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.Length == 0 && data is not null)
            {
                var e = JsonSerializer.Deserialize<SessionEvent>(data, Json)!;
                frames.Add(new SessionEventFrame(id, e, JsonNode.Parse(data)!.AsObject(), watched?.Invoke()?.IsCompleted ?? false));
                data = null;
                if (e.EndsTurn)
                {
                    break;
                }
            }
        }

        return frames;
    }
}
