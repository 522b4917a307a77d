using System.Text;
using AgentGrid.Grains.Outbound;
using static AgentGrid.Tests.Outbound.OutboundHttpFactory;

namespace AgentGrid.Tests.Outbound;

public sealed class OutboundHttpTests
{
    [Fact]
    public async Task A_call_to_an_allow_listed_network_returns_the_response()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("hello"));
        using var http = Create(LoopbackAllowed());

        var response = await http.GetAsync(server.Url("/greeting?x=1"));

        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Equal("hello", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(server.Url("/greeting?x=1"), response.FinalUrl);
        Assert.Equal(new RecordedRequest("GET", "/greeting?x=1", ""), Assert.Single(server.Requests));
    }

    [Fact]
    public async Task An_allow_listed_host_is_reached_whatever_it_resolves_to()
    {
        await using var server = RecordingServer.Start(_ => ServerReply.Ok("hello"));
        using var http = Create(new OutboundOptions { AllowedHosts = ["localhost"] });

        var response = await http.GetAsync(new Uri($"http://LOCALHOST:{server.Port}/"));

        Assert.Equal(200, response.Status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Error_statuses_are_returned_not_thrown()
    {
        await using var server = RecordingServer.Start(_ => new ServerReply(404, "gone"u8.ToArray()));
        using var http = Create(LoopbackAllowed());

        var response = await http.GetAsync(server.Url("/missing"));

        Assert.Equal(404, response.Status);
        Assert.Equal("gone", Encoding.UTF8.GetString(response.Body));
    }

    [Fact]
    public async Task A_redirect_chain_keeps_method_and_body_on_307_and_308_and_turns_into_get_on_303()
    {
        await using var server = RecordingServer.Start(request => request.Path switch
        {
            "/a" => ServerReply.Redirect(307, "/b"),
            "/b" => ServerReply.Redirect(308, "c"),
            "/c" => ServerReply.Redirect(303, "/d"),
            _ => ServerReply.Ok("done"),
        });
        using var http = Create(LoopbackAllowed());
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/a")) { Content = new StringContent("payload") };

        var response = await http.SendAsync(request, CancellationToken.None);

        Assert.Equal("done", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(server.Url("/d"), response.FinalUrl);
        Assert.Equal(
            [new("POST", "/a", "payload"), new("POST", "/b", "payload"), new("POST", "/c", "payload"), new("GET", "/d", "")],
            server.Requests);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public async Task A_post_redirected_with_301_302_or_303_becomes_a_get_without_body(int status)
    {
        await using var server = RecordingServer.Start(request =>
            request.Path == "/form" ? ServerReply.Redirect(status, "/result") : ServerReply.Ok("ok"));
        using var http = Create(LoopbackAllowed());
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/form")) { Content = new StringContent("payload") };

        var response = await http.SendAsync(request, CancellationToken.None);

        Assert.Equal(200, response.Status);
        Assert.Equal(new RecordedRequest("GET", "/result", ""), server.Requests[1]);
    }
}
