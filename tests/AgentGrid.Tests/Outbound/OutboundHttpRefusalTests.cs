using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Outbound;
using static AgentGrid.Tests.Outbound.OutboundHttpFactory;

namespace AgentGrid.Tests.Outbound;

public sealed class OutboundHttpRefusalTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://localhost:{0}/")]
    [InlineData("http://LocalHost:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://[::ffff:7f00:1]:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0177.0.0.1:{0}/")]
    [InlineData("http://0x7f.0.0.1:{0}/")]
    [InlineData("http://0x7f.1:{0}/")]
    [InlineData("http://127.1:{0}/")]
    [InlineData("http://0.0.0.0:{0}/")]
    [InlineData("https://127.0.0.1:{0}/")]
    public async Task Loopback_in_any_spelling_is_refused_and_never_reached(string template)
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("secret"));
        using var http = Create();

        var url = new Uri(string.Format(template, server.Port));

        var error = await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(url));

        Assert.Equal(0, server.Connections);
        Assert.Contains(url.IdnHost, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_refusal_names_the_host_but_not_the_addresses_it_resolved_to()
    {
        using var http = Create();

        var error = await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(new Uri("http://localhost:1/")));

        Assert.Contains("'localhost'", error.Message);
        Assert.DoesNotContain("127.0.0.1", error.Message);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://192.168.0.1/")]
    [InlineData("http://100.100.100.200/")]
    public async Task Metadata_and_private_addresses_are_refused(string url)
    {
        using var http = Create();

        var error = await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(new Uri(url)));

        Assert.Contains(new Uri(url).IdnHost, error.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1:{0}/")]
    [InlineData("gopher://127.0.0.1:{0}/")]
    public async Task Schemes_other_than_http_and_https_are_refused(string template)
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("secret"));
        using var http = Create(LoopbackAllowed());

        await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(new Uri(string.Format(template, server.Port))));

        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Relative_urls_are_refused()
    {
        using var http = Create();

        await FailsWith(ErrorCodes.UrlNotAllowed, () => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/relative"), CancellationToken.None));
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_network_to_another_loopback_address_is_refused()
    {
        await using var target = RecordingServer.Start(_ => ServerReply.Ok("secret"));
        await using var origin = RecordingServer.Start(_ => ServerReply.Redirect(302, $"http://[::1]:{target.Port}/"));
        using var http = Create(LoopbackAllowed());

        await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(origin.Url("/start")));

        Assert.Single(origin.Requests);
        Assert.Equal(0, target.Connections);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_a_loopback_literal_is_refused()
    {
        await using var target = RecordingServer.Start(_ => ServerReply.Ok("secret"));
        await using var origin = RecordingServer.Start(_ => ServerReply.Redirect(307, $"http://127.0.0.1:{target.Port}/"));
        using var http = Create(new OutboundOptions { AllowedHosts = ["LOCALHOST"] });

        await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(new Uri($"http://localhost:{origin.Port}/start")));

        Assert.Single(origin.Requests);
        Assert.Equal(0, target.Connections);
    }

    [Fact]
    public async Task A_redirect_to_a_file_url_is_refused()
    {
        await using var origin = RecordingServer.Start(_ => ServerReply.Redirect(301, "file:///etc/passwd"));
        using var http = Create(LoopbackAllowed());

        await FailsWith(ErrorCodes.UrlNotAllowed, () => http.GetAsync(origin.Url("/start")));
    }

    [Fact]
    public async Task The_guarded_handler_refuses_loopback_without_reaching_it()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("secret"));
        using var outbound = Create();
        using var client = new HttpClient(outbound.CreateHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.Url("/")));

        Assert.Equal(ErrorCodes.UrlNotAllowed, Assert.IsType<AgentGridException>(error.InnerException).Code);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task The_guarded_handler_reaches_allow_listed_networks()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("hello"));
        using var outbound = Create(LoopbackAllowed());
        using var client = new HttpClient(outbound.CreateHandler());

        Assert.Equal("hello", await client.GetStringAsync(server.Url("/")));
        Assert.Single(server.Requests);
    }
}
