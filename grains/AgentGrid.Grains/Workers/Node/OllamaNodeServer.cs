using System.Text;
using System.Text.Json;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Gpu;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// One <c>ollama serve</c> per node, shared by the node's Ollama workers: started with the first, stopped with the last. A worker
/// pulls its model (progress in its log) and loads it to stay (<c>keep_alive</c>); stopping unloads it (<c>keep_alive: 0</c>).
/// Ollama has no API key and decides itself which GPU holds a model, so its server is neither key-protected nor pinned: bind it
/// to loopback, or to a network only front doors reach. Placement still reserves each worker's VRAM.
/// </summary>
public sealed class OllamaNodeServer(GpuOptions options, ServerPidFiles pidFiles, FreePorts ports)
{
    public const string Runtime = "ollama";
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private ServerProcess? _process;
    private Uri? _root;

    private string Key => $"ollama@{options.NodeId}";

    /// <summary>The node's log of <c>ollama serve</c> itself (the workers' logs hold their pulls).</summary>
    public ServerLog Log { get; } = new([]);

    /// <summary>The running server (started now if none runs), counted as used by <paramref name="workerId"/>.</summary>
    public async Task<(Uri Root, ServerProcess Process)> AcquireAsync(string workerId, string advertised, IReadOnlyList<string> command, string path, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_process is null || _process.HasExited)
            {
                var port = ports.Next();
                var models = Path.Combine(options.ModelCacheDirectory, "ollama");
                Directory.CreateDirectory(models);
                var environment = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["PATH"] = path,
                    ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? options.StateDirectory,
                    ["LANG"] = "C.UTF-8",
                    ["OLLAMA_HOST"] = $"{options.ServerBindAddress}:{port}",
                    ["OLLAMA_MODELS"] = models,
                };
                if (!ServerProcess.CanRun(command[0], path))
                {
                    throw new AgentGridException(ErrorCodes.ModelUnavailable,
                        $"The ollama server could not be started: '{command[0]}' is not an executable on node {options.NodeId}'s PATH. Install it there or set {GpuOptions.SectionName}:Runtimes:ollama:Command.");
                }

                Log.Add($"[agentgrid] starting {string.Join(' ', command)} serve on port {port}");
                var runDirectory = Directory.CreateDirectory(Path.Combine(options.StateDirectory, options.NodeId, "run", "ollama")).FullName;
                _process = ServerProcess.Start([.. command, "serve"], environment, runDirectory, Log);
                pidFiles.Write(Key, _process);
                _root = new Uri($"http://{advertised}:{port}/");
                try
                {
                    await WaitUpAsync(_process, _root, cancellationToken);
                }
                catch
                {
                    // A server that never came up is nobody's: it does not wait for a last worker to stop it.
                    await _process.StopAsync(options.StopGracePeriod);
                    pidFiles.Delete(Key);
                    _process = null;
                    throw;
                }
            }

            _users.Add(workerId);
            return (_root!, _process);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Pulls <paramref name="model"/> (progress into <paramref name="log"/>), then loads it to stay loaded.</summary>
    public static async Task PullAndLoadAsync(Uri root, string model, string keepAlive, int? contextWindow, ServerLog log, CancellationToken cancellationToken)
    {
        using var pull = new HttpRequestMessage(HttpMethod.Post, new Uri(root, "api/pull")) { Content = Json(new { model, stream = true }) };
        using var response = await Http.SendAsync(pull, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var lastPercent = -1L;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            using var progress = JsonDocument.Parse(line);
            var p = progress.RootElement;
            // Once streaming has begun, Ollama reports a failure as an error line inside the 200 response.
            if (p.TryGetProperty("error", out var error))
            {
                throw new AgentGridException(ErrorCodes.ModelUnavailable, $"ollama could not pull {model}: {error.GetString()}");
            }

            var status = p.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (p.TryGetProperty("total", out var total) && total.GetInt64() > 0 && p.TryGetProperty("completed", out var done))
            {
                var percent = done.GetInt64() * 100 / total.GetInt64();
                if (percent != lastPercent)
                {
                    lastPercent = percent;
                    log.Add($"[agentgrid] pulling {model}: {percent}% of {total.GetInt64() / (1024 * 1024)} MiB");
                }
            }
            else if (status is not null)
            {
                log.Add($"[agentgrid] pulling {model}: {status}");
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable, $"ollama could not pull {model} (HTTP {(int)response.StatusCode}).");
        }

        object options = contextWindow is { } window ? new { num_ctx = window } : new { };
        using var load = await Http.PostAsync(new Uri(root, "api/generate"), Json(new { model, keep_alive = KeepAlive(keepAlive), options }), cancellationToken);
        if (!load.IsSuccessStatusCode)
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable, $"ollama could not load {model} (HTTP {(int)load.StatusCode}).");
        }

        log.Add($"[agentgrid] {model} loaded (keep_alive {keepAlive})");
    }

    /// <summary>Unloads the worker's model, and stops the server when no worker uses it any more.</summary>
    public async Task ReleaseAsync(string workerId, Uri root, string model, TimeSpan grace)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var unload = await Http.PostAsync(new Uri(root, "api/generate"), Json(new { model, keep_alive = 0 }), timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The server is gone or hung: if it is the last worker's, it is stopped below anyway.
        }

        await _gate.WaitAsync();
        try
        {
            if (_users.Remove(workerId) && _users.Count == 0 && _process is { } process)
            {
                Log.Add("[agentgrid] no Ollama worker left on this node: stopping ollama serve");
                await process.StopAsync(grace);
                pidFiles.Delete(Key);
                _process = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task WaitUpAsync(ServerProcess process, Uri root, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            if (process.HasExited)
            {
                throw new ServerExitedException(await process.Exited, process.Log.Tail(5));
            }

            try
            {
                using var response = await Http.GetAsync(root, deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("ollama serve did not answer within 2 minutes.");
            }

            await Task.WhenAny(process.Exited, Task.Delay(200, deadline.Token));
        }
    }

    // A number of seconds (negative: for ever), or a duration such as 30m, as Ollama reads it.
    private static object KeepAlive(string text) => long.TryParse(text, out var seconds) ? seconds : text;

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

}
