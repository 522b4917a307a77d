using AgentGrid.FrontDoor;
using AgentGrid.Inference.Simulator;
using AgentGrid.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Bench;

/// <summary>One simulator and one embedded grid whose model <c>bench</c> is that same simulator.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _data;

    private BenchHost(InferenceSimulatorServer simulator, WebApplication app, DirectoryInfo data, Uri grid)
    {
        Simulator = simulator;
        _app = app;
        _data = data;
        Grid = grid;
    }

    public InferenceSimulatorServer Simulator { get; }

    public Uri Grid { get; }

    public static async Task<BenchHost> StartAsync(BenchOptions options)
    {
        var simulator = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(options.TtftMs),
            InterTokenLatency = TimeSpan.FromMilliseconds(options.ItlMs),
            TokensPerReply = options.Tokens,
            MaxConcurrency = 4096,
        });

        var data = Directory.CreateTempSubdirectory("agentgrid-bench-");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["AgentGrid:Embedded:DataDirectory"] = data.FullName,
            ["AgentGrid:Embedded:SiloPort"] = "21111",
            ["AgentGrid:Embedded:GatewayPort"] = "40000",
            ["AgentGrid:Inference:Models:bench:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["AgentGrid:Inference:Models:bench:Model"] = SimulatorOptions.DefaultModelId,
        });
        builder.Logging.ClearProviders();
        builder.UseAgentGridEmbedded();
        var app = builder.Build();
        app.MapAgentGridFrontDoor();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BenchHost(simulator, app, data, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Simulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
