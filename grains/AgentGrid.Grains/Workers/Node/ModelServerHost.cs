using System.Collections.Concurrent;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Grains.Gpu;
using AgentGrid.Inference.Profiles;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Workers.Node;

/// <summary>
/// The model servers on this silo's node, by worker id. A <c>simulator</c> profile gets its own simulator
/// instance on a loopback port (loading takes the profile's <c>load_ms</c>); a profile listed under
/// <c>AgentGrid:Gpu:Servers</c> attaches to that running server. Servers outlive worker activations, so a
/// worker that is reactivated finds its server still loaded.
/// </summary>
public sealed class ModelServerHost(IOptions<GpuOptions> options, ILoggerFactory loggers) : IAsyncDisposable
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ConcurrentDictionary<string, RunningServer> _servers = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<ModelServerHost>();

    /// <summary>Starts (or finds) the server for <paramref name="workerId"/>; returns once it is loaded.</summary>
    public async Task<RunningServer> StartAsync(string workerId, ModelProfile profile, CancellationToken cancellationToken)
    {
        if (_servers.TryGetValue(workerId, out var running) && running.Profile == profile.Name)
        {
            return running;
        }

        await StopAsync(workerId);
        if (options.Value.Servers.TryGetValue(profile.Name, out var url))
        {
            running = new RunningServer(profile.Name, url.TrimEnd('/'), profile.Source.ModelId, null);
        }
        else if (profile.Container.Runtime == ModelRuntimes.Simulator)
        {
            var simulator = await InferenceSimulatorServer.StartAsync(SimulatorProfileSettings.OptionsFor(profile, profile.Name), cancellationToken: cancellationToken);
            running = new RunningServer(profile.Name, simulator.BaseUrl.ToString().TrimEnd('/'), profile.Name, simulator);
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
        }
        else
        {
            throw new AgentGridException(ErrorCodes.ModelUnavailable,
                $"Profile '{profile.Name}' runs on {profile.Container.Runtime}; this node has no server for it. " +
                $"Start one and set {GpuOptions.SectionName}:Servers:{profile.Name} to its base URL.");
        }

        // Never two servers for one worker: one started by an older activation's load is shut down.
        if (_servers.TryGetValue(workerId, out var replaced) && replaced != running && replaced.Simulator is { } old)
        {
            await old.DisposeAsync();
        }

        _servers[workerId] = running;
        _logger.LogInformation("Model server for worker {WorkerId} ({Profile}) at {Endpoint}", workerId, profile.Name, running.Endpoint);
        return running;
    }

    public async Task StopAsync(string workerId)
    {
        if (_servers.TryRemove(workerId, out var running) && running.Simulator is { } simulator)
        {
            await simulator.DisposeAsync();
        }
    }

    /// <summary>The workers whose servers run on (or are attached from) this silo.</summary>
    public IReadOnlyCollection<string> WorkerIds => [.. _servers.Keys];

    /// <summary>The simulator behind a worker, for fault injection and statistics; null for attached servers.</summary>
    public InferenceSimulatorServer? Simulator(string workerId) => _servers.GetValueOrDefault(workerId)?.Simulator;

    /// <summary>Whether the server answers <c>GET /models</c>.</summary>
    public static async Task<string?> CheckAsync(string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Health.GetAsync($"{endpoint}/models", cancellationToken);
            return response.IsSuccessStatusCode ? null : $"GET /models answered HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e is TaskCanceledException ? "GET /models did not answer within 2 s" : $"GET /models failed: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _servers.Keys.ToList())
        {
            await StopAsync(id);
        }
    }

    public sealed record RunningServer(string Profile, string Endpoint, string ServedModel, InferenceSimulatorServer? Simulator);
}
