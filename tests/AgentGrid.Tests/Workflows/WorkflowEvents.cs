using System.Text.Json.Nodes;

namespace AgentGrid.Tests.Workflows;

/// <summary>Follows a run's event stream: the barrier a test waits on instead of polling.</summary>
internal static class WorkflowEvents
{
    /// <summary>
    /// The run once it has ended or waits for approval (or once <paramref name="until"/> holds), read from
    /// <c>GET /api/workflow-runs/{id}/events</c>.
    /// </summary>
    public static async Task<JsonObject> WaitAsync(HttpClient http, string runId, TimeSpan? timeout = null, Func<string, bool>? until = null)
    {
        until ??= status => status is not "running";
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        using var response = await http.GetAsync($"/api/workflow-runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = JsonNode.Parse(line["data: ".Length..])!.AsObject();
            var run = data["run"] is JsonObject inner ? inner : data;
            if (until(run["status"]!.GetValue<string>()))
            {
                return (JsonObject)run.DeepClone();
            }
        }

        throw new InvalidOperationException($"The events of run {runId} ended while it was running.");
    }
}
