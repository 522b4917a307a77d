using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Gpu;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Grains.Gpu;
using AgentGrid.Grains.Workers.Node.Runtimes;
using AgentGrid.Inference.Profiles;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// The model servers on this silo's node, by worker id. A profile's runtime is launched as a process of its own (vLLM, TGI, TEI,
/// llama.cpp, SGLang, a custom command, the simulator), pinned to the worker's GPUs, on a free port, with a key of its own; a
/// profile listed under <c>AgentGrid:Gpu:Servers</c> attaches to that running server instead. Servers outlive worker activations,
/// so a worker that is reactivated finds its server still loaded.
/// </summary>
public sealed class ModelServerHost : IAsyncDisposable
{
    private const int RememberedLogs = 200;
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ConcurrentDictionary<string, RunningServer> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerLog> _logs = new(StringComparer.Ordinal);
    private readonly IOptions<GpuOptions> _options;
    private readonly ILocalSiloDetails? _silo;
    private readonly ILogger _logger;

    public ModelServerHost(IOptions<GpuOptions> options, ILoggerFactory loggers, ILocalSiloDetails? silo = null)
    {
        _options = options;
        _silo = silo;
        _logger = loggers.CreateLogger<ModelServerHost>();
        PidFiles = new ServerPidFiles(Path.Combine(options.Value.StateDirectory, options.Value.NodeId, "servers"), _logger);
        _ports = new FreePorts(options.Value.ServerBindAddress, FreePorts.ParseRange(options.Value.ServerPortRange));
        _ollama = new OllamaNodeServer(options.Value, PidFiles, _ports);
    }

    private readonly FreePorts _ports;

    private readonly OllamaNodeServer _ollama;

    public ServerPidFiles PidFiles { get; }

    /// <summary>Starts (or finds) the server for <paramref name="workerId"/>; returns once it is loaded.</summary>
    public async Task<RunningServer> StartAsync(string workerId, ModelProfile profile, GpuReservation reservation, CancellationToken cancellationToken)
    {
        if (_servers.TryGetValue(workerId, out var running) && running.Profile == profile.Name && running.Process is not { HasExited: true })
        {
            return running;
        }

        await StopAsync(workerId);
        var options = _options.Value;
        if (options.Servers.TryGetValue(profile.Name, out var url))
        {
            running = new RunningServer(profile.Name, "attached", url.TrimEnd('/'), profile.Source.ModelId, null, null, null, $"{url.TrimEnd('/')}/models");
        }
        else if (profile.Container.Runtime == ModelRuntimes.Simulator && options.Runtimes.GetValueOrDefault(ModelRuntimes.Simulator)?.InProcess == true)
        {
            running = await StartInProcessAsync(profile, cancellationToken);
        }
        else if (profile.Container.Runtime == ModelRuntimes.Ollama)
        {
            running = await StartOllamaAsync(workerId, profile, cancellationToken);
        }
        else if (ServerLaunchers.Launches(profile.Container.Runtime))
        {
            running = await LaunchAsync(workerId, profile, reservation, cancellationToken);
        }
        else
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable,
                $"Profile '{profile.Name}' runs on {profile.Container.Runtime}, which AgentGrid attaches to but does not start. " +
                $"Start its server and set {GpuOptions.SectionName}:Servers:{profile.Name} to its base URL.");
        }

        // The worker stopped (or swapped) while this load ran: what it started must not outlive it.
        if (cancellationToken.IsCancellationRequested)
        {
            await StopServerAsync(workerId, running);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Never two servers for one worker: one started by an older activation's load is shut down.
        if (_servers.TryGetValue(workerId, out var replaced) && replaced != running)
        {
            await StopServerAsync(workerId, replaced);
        }

        _servers[workerId] = running;
        _logger.LogInformation("Model server for worker {WorkerId} ({Profile}, {Runtime}) at {Endpoint}", workerId, profile.Name, running.Runtime, running.Endpoint);
        return running;
    }

    private async Task<RunningServer> LaunchAsync(string workerId, ModelProfile profile, GpuReservation reservation, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var runtime = profile.Container.Runtime;
        if (profile.Source.Type == "local" && runtime != ModelRuntimes.Simulator && !File.Exists(profile.Source.ModelId) && !Directory.Exists(profile.Source.ModelId))
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable, $"Profile '{profile.Name}' loads weights from {profile.Source.ModelId}, which is not on node {options.NodeId}.");
        }

        var key = ServerKey.New();
        var runDirectory = Path.Combine(options.StateDirectory, options.NodeId, "run", Safe(workerId));
        Directory.CreateDirectory(runDirectory);
        Directory.CreateDirectory(options.ModelCacheDirectory);
        var context = new LaunchContext(profile, reservation, options.ServerBindAddress, _ports.Next(), key.Value, options.ModelCacheDirectory, runDirectory, [_ports.Next(), _ports.Next()]);
        var plan = ServerLaunchers.For(runtime).Plan(context);
        var commandLine = ServerLaunchers.CommandLine(runtime, plan, options);
        var hfToken = ServerEnvironment.HfToken(options);
        var environment = ServerEnvironment.Build(context, plan, options, hfToken);
        var log = new ServerLog([key.Value, .. hfToken is { Length: > 0 } ? new[] { hfToken } : []]);
        Remember(workerId, log);
        log.Add($"[agentgrid] starting {string.Join(' ', commandLine.Select(a => a == key.Value ? "[redacted]" : a))} on GPUs {context.Gpus}");

        // Looked up first: through setsid, a missing executable would only show as a server that exits at once (a crash loop).
        if (!ServerProcess.CanRun(commandLine[0], environment["PATH"]))
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable,
                $"The {runtime} server could not be started: '{commandLine[0]}' is not an executable on node {options.NodeId}'s PATH. " +
                $"Install it there or set {GpuOptions.SectionName}:Runtimes:{runtime}:Command.");
        }

        var process = ServerProcess.Start(commandLine, environment, runDirectory, log);

        PidFiles.Write(workerId, process);
        var root = new Uri($"http://{Advertised(options)}:{context.Port}/");
        try
        {
            await ServerReadiness.WaitAsync(process, root, plan, key.Value, TimeSpan.FromSeconds(profile.Container.LoadTimeoutSeconds), cancellationToken);
        }
        catch
        {
            await process.StopAsync(options.StopGracePeriod);
            PidFiles.Delete(workerId);
            throw;
        }

        log.Add($"[agentgrid] ready at {root}");
        return new RunningServer(profile.Name, runtime, new Uri(root, plan.ApiPath.TrimStart('/')).ToString().TrimEnd('/'), plan.ServedModel,
            plan.ChecksApiKey ? key : null, process, null, new Uri(root, plan.HealthPath.TrimStart('/')).ToString());
    }

    private async Task<RunningServer> StartOllamaAsync(string workerId, ModelProfile profile, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var configured = options.Runtimes.GetValueOrDefault(ModelRuntimes.Ollama);
        IReadOnlyList<string> command = configured?.Command is { Length: > 0 } executable ? [executable, .. configured.Arguments] : ["ollama"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        var log = new ServerLog([]);
        Remember(workerId, log);
        var (root, process) = await _ollama.AcquireAsync(workerId, Advertised(options), command, path, cancellationToken);
        var model = profile.Source.ModelId;
        try
        {
            var keepAlive = profile.RuntimeBlocks.GetValueOrDefault(ModelRuntimes.Ollama)?.Settings.GetValueOrDefault("keep_alive") ?? "-1";
            var window = ModelParameterNames.Int(profile.Parameters, "num_ctx") ?? ModelParameterNames.ContextWindow(profile.Parameters);
            await OllamaNodeServer.PullAndLoadAsync(root, model, keepAlive, window, log, cancellationToken);
        }
        catch
        {
            await _ollama.ReleaseAsync(workerId, root, model, options.StopGracePeriod);
            throw;
        }

        // Ollama has no key of its own: requests go to it without one.
        return new RunningServer(profile.Name, ModelRuntimes.Ollama, new Uri(root, "v1").ToString(), model, null, process, null, root.ToString());
    }

    private static async Task<RunningServer> StartInProcessAsync(ModelProfile profile, CancellationToken cancellationToken)
    {
        var simulator = await InferenceSimulatorServer.StartAsync(SimulatorProfileSettings.OptionsFor(profile, profile.Name), cancellationToken: cancellationToken);
        try
        {
            // Loading weights onto the GPU: the simulator answers once "loaded".
            await Task.Delay(SimulatorProfileSettings.LoadTime(profile), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await simulator.DisposeAsync();
            throw;
        }

        var endpoint = simulator.BaseUrl.ToString().TrimEnd('/');
        return new RunningServer(profile.Name, ModelRuntimes.Simulator, endpoint, profile.Name, null, null, simulator, $"{endpoint}/models");
    }

    public async Task StopAsync(string workerId)
    {
        if (_servers.TryRemove(workerId, out var running))
        {
            await StopServerAsync(workerId, running);
        }
    }

    private async Task StopServerAsync(string workerId, RunningServer running)
    {
        if (running.Simulator is { } simulator)
        {
            await simulator.DisposeAsync();
        }

        if (running.Runtime == ModelRuntimes.Ollama)
        {
            // The node's ollama serve is shared: this worker's model is unloaded, the server stops with its last worker.
            await _ollama.ReleaseAsync(workerId, new Uri(running.HealthUrl), running.ServedModel, _options.Value.StopGracePeriod);
            _logs.GetValueOrDefault(workerId)?.Add($"[agentgrid] unloaded {running.ServedModel}");
        }
        else if (running.Process is { } process)
        {
            process.Log.Add("[agentgrid] stopping: SIGTERM to the process group");
            var code = await process.StopAsync(_options.Value.StopGracePeriod);
            process.Log.Add($"[agentgrid] stopped (exit code {code})");
            PidFiles.Delete(workerId);
        }
    }

    /// <summary>The workers whose servers run on (or are attached from) this silo.</summary>
    public IReadOnlyCollection<string> WorkerIds => [.. _servers.Keys];

    public RunningServer? Find(string workerId) => _servers.GetValueOrDefault(workerId);

    /// <summary>The simulator behind a worker, for fault injection and statistics; null for other servers.</summary>
    public InferenceSimulatorServer? Simulator(string workerId) => _servers.GetValueOrDefault(workerId)?.Simulator;

    /// <summary>The last lines of a worker's server output (also after it stopped or failed); null when this node never ran it.</summary>
    public IReadOnlyList<string>? Logs(string workerId, int lines) =>
        _logs.GetValueOrDefault(workerId) is { } log ? _servers.GetValueOrDefault(workerId)?.Runtime == ModelRuntimes.Ollama
            ? [.. _ollama.Log.Tail(lines / 2), .. log.Tail(lines - lines / 2)]
            : log.Tail(lines) : null;

    /// <summary>Whether the server answers its health route.</summary>
    public static async Task<string?> CheckAsync(RunningServer server, CancellationToken cancellationToken)
    {
        if (server.Process is { HasExited: true } exited)
        {
            return $"the server exited with code {await exited.Exited}";
        }

        try
        {
            using var request = ServerReadiness.Get(new Uri(server.HealthUrl), server.ApiKey?.Value);
            using var response = await Health.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"{server.HealthUrl} answered HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e is TaskCanceledException ? $"{server.HealthUrl} did not answer within 2 s" : $"{server.HealthUrl} failed: {e.Message}";
        }
    }

    private void Remember(string workerId, ServerLog log)
    {
        _logs[workerId] = log;
        if (_logs.Count > RememberedLogs)
        {
            foreach (var gone in _logs.Keys.Where(id => !_servers.ContainsKey(id) && id != workerId).Take(_logs.Count - RememberedLogs))
            {
                _logs.TryRemove(gone, out _);
            }
        }
    }

    private string Advertised(GpuOptions options)
    {
        if (options.ServerAdvertiseAddress is { Length: > 0 } advertised)
        {
            return advertised;
        }

        var bind = IPAddress.Parse(options.ServerBindAddress);
        var host = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) ? _silo?.SiloAddress.Endpoint.Address ?? IPAddress.Loopback : bind;
        return host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
    }


    private static string Safe(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Keys.ToList().Select(StopAsync));
    }

    /// <summary>
    /// A worker's server: its OpenAI base URL, the model name requests use, its key (null where the runtime checks none), and the
    /// process (launched) or simulator (in process) behind it; attached servers have neither.
    /// </summary>
    public sealed record RunningServer(
        string Profile, string Runtime, string Endpoint, string ServedModel, ServerKey? ApiKey,
        ServerProcess? Process, InferenceSimulatorServer? Simulator, string HealthUrl);
}
