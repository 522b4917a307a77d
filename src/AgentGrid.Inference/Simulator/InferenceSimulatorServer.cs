using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The simulator as an HTTP server of its own: in-process on a loopback port in the embedded
/// default, or stand-alone for load tests. Callers reach it like any OpenAI-compatible backend.
/// </summary>
public sealed class InferenceSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InferenceSimulatorServer(WebApplication app, SimulatorEngine engine, Uri address)
    {
        _app = app;
        Engine = engine;
        Address = address;
    }

    public SimulatorEngine Engine { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The OpenAI-style base URL, <see cref="Address"/> plus <c>v1</c>.</summary>
    public Uri BaseUrl => new(Address, "v1");

    public static async Task<InferenceSimulatorServer> StartAsync(
        SimulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        if (new SimulatorOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new ArgumentException(invalid.FailureMessage, nameof(options));
        }

        // A real server loads its weights before it listens: until then its port refuses connections.
        await Task.Delay(options.LoadTime, cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");

        // Nothing to drain: on stop, requests still generating are cut off rather than awaited.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var engine = new SimulatorEngine(options);
        app.MapInferenceSimulator(engine);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a)).First();
        return new InferenceSimulatorServer(app, engine, new Uri($"http://{options.Host}:{bound.Port}/"));
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        Engine.Dispose();
    }
}
