using System.Net;
using System.Net.Sockets;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Outbound;
using static AgentGrid.Tests.Outbound.OutboundHttpFactory;

namespace AgentGrid.Tests.Outbound;

public sealed class OutboundHttpLimitsTests
{
    private static OutboundOptions Loopback(int maxRedirects = 5, long maxResponseBytes = 1024 * 1024, int timeoutMs = 10_000) => new()
    {
        AllowedNetworks = ["127.0.0.1/32"],
        MaxRedirects = maxRedirects,
        MaxResponseBytes = maxResponseBytes,
        Timeout = TimeSpan.FromMilliseconds(timeoutMs),
    };

    [Fact]
    public async Task Exactly_max_redirects_are_followed()
    {
        await using var server = RecordingServer.Start(request =>
            request.Path == "/2" ? ServerReply.Ok("landed") : RedirectToNext(request));
        using var http = Create(Loopback(maxRedirects: 2));

        var response = await http.GetAsync(server.Url("/0"));

        Assert.Equal(server.Url("/2"), response.FinalUrl);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task More_redirects_than_allowed_fail_with_tool_failed()
    {
        await using var server = RecordingServer.Start(RedirectToNext);
        using var http = Create(Loopback(maxRedirects: 2));

        var error = await FailsWith(ErrorCodes.ToolFailed, () => http.GetAsync(server.Url("/0")));

        Assert.Contains("redirected more than 2 times", error.Message);
        Assert.Equal(["/0", "/1", "/2"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task With_no_redirects_allowed_the_first_redirect_fails()
    {
        await using var server = RecordingServer.Start(RedirectToNext);
        using var http = Create(Loopback(maxRedirects: 0));

        await FailsWith(ErrorCodes.ToolFailed, () => http.GetAsync(server.Url("/0")));

        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_response_too_large_with_or_without_content_length(bool chunked)
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Bytes(4096, chunked));
        using var http = Create(Loopback(maxResponseBytes: 1024));

        await FailsWith(ErrorCodes.ResponseTooLarge, () => http.GetAsync(server.Url("/big")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_of_exactly_the_limit_is_read_whole(bool chunked)
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Bytes(4096, chunked));
        using var http = Create(Loopback(maxResponseBytes: 4096));

        var response = await http.GetAsync(server.Url("/exact"));

        Assert.Equal(4096, response.Body.Length);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_tool_timeout()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Never);
        using var http = Create(Loopback(timeoutMs: 300));

        await FailsWith(ErrorCodes.ToolTimeout, () => http.GetAsync(server.Url("/slow")));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Never);
        using var http = Create(Loopback());
        using var cancellation = new CancellationTokenSource();
        var call = http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Url("/slow")), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task A_refused_connection_is_tool_failed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = Create(Loopback());

        await FailsWith(ErrorCodes.ToolFailed, () => http.GetAsync(new Uri($"http://127.0.0.1:{port}/")));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_tool_failed()
    {
        using var http = Create();

        await FailsWith(ErrorCodes.ToolFailed, () => http.GetAsync(new Uri("http://agentgrid-outbound-test.invalid/")));
    }

    private static ServerReply RedirectToNext(RecordedRequest request) =>
        ServerReply.Redirect(302, $"/{int.Parse(request.Path.TrimStart('/')) + 1}");
}
