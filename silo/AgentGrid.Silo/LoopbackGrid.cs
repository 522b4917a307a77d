using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace AgentGrid.Silo;

/// <summary>
/// The embedded default composed exactly as <c>Program.cs</c> does, started on a free loopback port
/// with settings of the caller's own: how tests and the benchmark run the real grid in-process.
/// </summary>
public sealed class LoopbackGrid : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackGrid(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The front door's address, e.g. <c>http://127.0.0.1:43117/</c>.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration on top of appsettings.json; the data directory and Orleans ports belong here.</param>
    /// <param name="logs">Whether to keep the console log.</param>
    /// <param name="configure">Last changes to the composition (a test's log sink, a benchmark's switch).</param>
    public static async Task<LoopbackGrid> StartAsync(IDictionary<string, string?> settings, bool logs = false, Action<WebApplicationBuilder>? configure = null)
    {
        var app = EmbeddedHost.Build([], new Dictionary<string, string?>(settings) { ["Urls"] = "http://127.0.0.1:0" }, logs, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackGrid(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
