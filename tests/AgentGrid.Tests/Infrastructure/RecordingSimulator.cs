using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentGrid.Inference.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>The real simulator behind a middleware that keeps every chat request's messages, so tests can read the prompts the grid sent.</summary>
public sealed class RecordingSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingSimulator(WebApplication app, Uri address) => (_app, BaseUrl) = (app, new Uri(address, "v1"));

    public Uri BaseUrl { get; }

    /// <summary>Each chat request's messages joined as <c>role: content</c> lines, in arrival order.</summary>
    public ConcurrentQueue<string> Prompts { get; } = new();

    public static async Task<RecordingSimulator> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var recorder = new RecordingSimulator(app, new Uri($"http://127.0.0.1:{port}/"));
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1/chat/completions"))
            {
                context.Request.EnableBuffering();
                var body = await JsonNode.ParseAsync(context.Request.Body);
                context.Request.Body.Position = 0;
                recorder.Prompts.Enqueue(string.Join("\n", body!["messages"]!.AsArray().Select(m => $"{m!["role"]}: {m["content"]}")));
            }

            await next(context);
        });
        app.MapInferenceSimulator(new SimulatorEngine(new SimulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(1), InterTokenLatency = TimeSpan.Zero, TokensPerReply = 8 }));
        await app.StartAsync();
        return recorder;
    }

    public string LastPrompt => Prompts.Last();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
