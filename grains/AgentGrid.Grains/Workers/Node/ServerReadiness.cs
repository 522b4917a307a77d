using System.Net.Http.Headers;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// Waits for a launched server to load: its health route answers 200 (servers refuse connections or answer 503 while loading), then
/// its model list answers with the key. Fails at once if the process exits, or when the profile's load timeout passes.
/// </summary>
public static class ServerReadiness
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task WaitAsync(ServerProcess process, Uri root, Runtimes.LaunchPlan plan, string apiKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pause = TimeSpan.FromMilliseconds(100);
        var last = "it did not answer";
        while (true)
        {
            if (process.HasExited)
            {
                throw new ServerExitedException(await process.Exited, process.Log.Tail(5));
            }

            try
            {
                last = await ProbeAsync(root, plan, apiKey, deadline.Token);
                if (last.Length == 0)
                {
                    return;
                }

                await Task.WhenAny(process.Exited, Task.Delay(pause, deadline.Token));
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The server did not load within {timeout.TotalSeconds:0} s ({last}).");
            }

            // Weights take minutes to load: ask often at first, then every two seconds.
            pause = TimeSpan.FromMilliseconds(Math.Min(2000, pause.TotalMilliseconds * 1.5));
        }
    }

    /// <summary>A GET to a launched server, with its key where it has one.</summary>
    public static HttpRequestMessage Get(Uri url, string? apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return request;
    }

    /// <summary>Empty when ready, else what is missing.</summary>
    private static async Task<string> ProbeAsync(Uri root, Runtimes.LaunchPlan plan, string apiKey, CancellationToken cancellationToken)
    {
        try
        {
            // The key goes along: TEI checks it on every route, the others ignore it where they do not need it.
            using var healthRequest = Get(new Uri(root, plan.HealthPath), apiKey);
            using (var health = await Http.SendAsync(healthRequest, cancellationToken))
            {
                if (!health.IsSuccessStatusCode)
                {
                    return $"{plan.HealthPath} answered HTTP {(int)health.StatusCode}";
                }
            }

            if (plan.ModelsPath is null)
            {
                return "";
            }

            using var request = Get(new Uri(root, plan.ModelsPath), apiKey);
            using var models = await Http.SendAsync(request, cancellationToken);
            return models.IsSuccessStatusCode ? "" : $"{plan.ModelsPath} answered HTTP {(int)models.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"{plan.HealthPath}: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{plan.HealthPath} did not answer within 5 s";
        }
    }
}

/// <summary>A server process that exited by itself (while loading, or later: a crash).</summary>
public sealed class ServerExitedException(int exitCode, IReadOnlyList<string> lastLines)
    : Exception($"the server exited with code {exitCode}" + (lastLines.Count > 0 ? $"; its last output: {string.Join(" | ", lastLines)}" : ""))
{
    public int ExitCode => exitCode;
}
