using Microsoft.AspNetCore.Http.Features;
using AgentGrid.FrontDoor;
using AgentGrid.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>
/// The real embedded default (silo + front door + simulator) composed exactly as <c>Program.cs</c>
/// does, listening on loopback ports of its own, with its state in <paramref name="dataDirectory"/>.
/// </summary>
public sealed class EmbeddedGrid : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedGrid(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<EmbeddedGrid> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["AgentGrid:Embedded:DataDirectory"] = dataDirectory,
            ["AgentGrid:Embedded:SiloPort"] = FreePort.Next().ToString(),
            ["AgentGrid:Embedded:GatewayPort"] = FreePort.Next().ToString(),
            ["AgentGrid:Inference:Simulator:TimeToFirstToken"] = "00:00:00.002",
            ["AgentGrid:Inference:Simulator:InterTokenLatency"] = "00:00:00",
            ["AgentGrid:Inference:Simulator:TokensPerReply"] = "12",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (Environment.GetEnvironmentVariable("AGENTGRID_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders();
        }
        builder.UseAgentGridEmbedded();
        var app = builder.Build();
        app.MapAgentGridFrontDoor();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EmbeddedGrid(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
