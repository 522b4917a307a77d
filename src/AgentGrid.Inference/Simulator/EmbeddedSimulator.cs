using AgentGrid.Inference.Providers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// Runs the simulator on its own loopback port for the lifetime of the host, so the grid has a
/// model to call when no real backend is configured.
/// </summary>
public sealed class EmbeddedSimulator(IOptions<InferenceOptions> options, ILogger<EmbeddedSimulator> logger) : IHostedService, IAsyncDisposable
{
    private InferenceSimulatorServer? _server;

    /// <summary>The running server; throws before the host has started.</summary>
    public InferenceSimulatorServer Server =>
        _server ?? throw new InvalidOperationException("The embedded inference simulator has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await InferenceSimulatorServer.StartAsync(options.Value.Simulator, cancellationToken: cancellationToken);
        logger.LogInformation("Inference simulator listening on {BaseUrl} as model '{Model}'",
            _server.BaseUrl, InferenceOptions.SimulatorModelName);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }
}
