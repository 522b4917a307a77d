using System.Collections.Concurrent;
using AgentGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Tests.Tools;

/// <summary>A loopback HTTP server that records every request it gets: an SSRF test passes when it saw none.</summary>
public sealed class RecordingWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingWebServer(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<string> Hits { get; } = new();

    public static async Task<RecordingWebServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new RecordingWebServer(app, port);
        app.Use(async (context, next) =>
        {
            server.Hits.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        app.MapPost("/echo", async (HttpRequest request) => Results.Text(await new StreamReader(request.Body).ReadToEndAsync(), "application/json"));
        app.MapPost("/fail", () => Results.Problem("broken", statusCode: 500));
        app.MapPost("/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return Results.Ok();
        });
        app.MapGet("/page", () => Results.Content("<html><head><title>T</title></head><body><h1>Tides</h1><p>High tide is at six.</p><script>x()</script></body></html>", "text/html"));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
