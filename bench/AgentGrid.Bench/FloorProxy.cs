using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Bench;

/// <summary>
/// The least any .NET gateway does: take the request over HTTP with Kestrel, pass its bytes to the upstream with
/// <see cref="HttpClient"/>, and copy the reply back, with no authentication, parsing, routing or metering. Run as its
/// own process beside the grid and the peer, it is the ceiling that a gateway on this machine (and this load
/// generator) can reach, so the peer suite can say how much of the distance to it the grid's own work takes.
/// </summary>
public static class FloorProxy
{
    /// <summary>Serves <c>POST /v1/chat/completions</c> on <paramref name="port"/>, forwarding to <paramref name="upstream"/>.</summary>
    public static async Task<int> ServeAsync(int port, string upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });
        var target = new Uri(upstream.TrimEnd('/') + "/chat/completions");
        await using var app = builder.Build();
        app.MapGet("/", () => "floor proxy");
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StreamContent(context.Request.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts the floor proxy as a process of its own (this bench, in serving mode) and waits until it answers.</summary>
    public static Task<ChildServer> StartAsync(string upstream)
    {
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet", [typeof(FloorProxy).Assembly.Location, "--serve-floor-proxy", port.ToString(System.Globalization.CultureInfo.InvariantCulture), upstream]);
        // The same garbage collector as the grid's process (an ASP.NET Core app's default).
        start.Environment["DOTNET_gcServer"] = "1";
        return Loopback.StartServerAsync(start, $"http://127.0.0.1:{port}", "The floor proxy");
    }
}
