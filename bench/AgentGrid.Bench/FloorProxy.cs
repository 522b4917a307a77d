using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Simulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Bench;

/// <summary>
/// Floors for the peer suite: the least work a .NET gateway does, so their rates are reference points for the grid's,
/// each run as a process of its own beside the grid and the peer. <see cref="Bare"/>: take the request over HTTP with Kestrel, pass its bytes to the upstream
/// with <see cref="HttpClient"/> and copy the reply back; no authentication, parsing, routing or metering. <see cref="Sdk"/>:
/// the same with the model call the grid's stack prescribes: the request parsed, the model called through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over the OpenAI SDK (the client the grid builds for every backend),
/// the reply written as an OpenAI chat completion. The distance from them to the grid is the grid's own work.
/// A bench fixture, not part of the product: it listens on 127.0.0.1 only, takes no key (as the peer it stands beside
/// is called without one), and lives only as long as the bench run that started it.
/// </summary>
public static class FloorProxy
{
    public const string Bare = "bare";
    public const string Sdk = "sdk";

    /// <summary>Serves <c>POST /v1/chat/completions</c> on <paramref name="port"/>, forwarding to <paramref name="upstream"/>.</summary>
    public static async Task<int> ServeAsync(string mode, int port, string upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/", () => "floor proxy");
        if (mode == Sdk)
        {
            var chat = OpenAiCompatibleClientFactory.Create(new Uri(upstream), SimulatorOptions.DefaultModelId, null, TimeSpan.FromMinutes(1));
            app.MapPost("/v1/chat/completions", context => CallModelAsync(context, chat));
        }
        else
        {
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });
            var target = new Uri(upstream.TrimEnd('/') + "/chat/completions");
            app.MapPost("/v1/chat/completions", context => ForwardAsync(context, http, target));
        }

        await app.RunAsync();
        return 0;
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient http, Uri target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StreamContent(context.Request.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task CallModelAsync(HttpContext context, IChatClient chat)
    {
        var request = (await context.Request.ReadFromJsonAsync<FloorRequest>(context.RequestAborted))!;
        var response = await chat.GetResponseAsync([.. request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content))], cancellationToken: context.RequestAborted);
        await context.Response.WriteAsJsonAsync(new
        {
            id = response.ResponseId, @object = "chat.completion", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model = request.Model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = response.Text }, finish_reason = "stop" } },
            usage = new { prompt_tokens = response.Usage?.InputTokenCount, completion_tokens = response.Usage?.OutputTokenCount },
        }, context.RequestAborted);
    }

    /// <summary>Starts a floor proxy as a process of its own (this bench, in serving mode) and waits until it answers.</summary>
    public static Task<ChildServer> StartAsync(string mode, string upstream)
    {
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet", [typeof(FloorProxy).Assembly.Location, "--serve-floor-proxy", mode, port.ToString(System.Globalization.CultureInfo.InvariantCulture), upstream]);
        // The same garbage collector as the grid's process (an ASP.NET Core app's default).
        start.Environment["DOTNET_gcServer"] = "1";
        return Loopback.StartServerAsync(start, $"http://127.0.0.1:{port}", "The floor proxy");
    }

    private sealed record FloorRequest(string Model, IReadOnlyList<FloorMessage> Messages);

    private sealed record FloorMessage(string Role, string Content);
}
