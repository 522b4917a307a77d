using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools;

/// <summary>An operator's allow-list lets tools reach a network the SSRF guard otherwise refuses.</summary>
public sealed class OutboundAllowListTests
{
    [Fact]
    public async Task Allow_listed_loopback_is_reached_by_http_and_http_fetch_tools()
    {
        await using var server = await RecordingWebServer.StartAsync();
        using var data = new TempDirectory();
        await using var grid = await EmbeddedGrid.StartAsync(data.Path, new Dictionary<string, string?> { ["AgentGrid:Outbound:AllowedNetworks:0"] = "127.0.0.1/32" });
        var http = await grid.Http.CreateToolAsync(new { name = "echo", kind = "http", url = new Uri(server.Address, "echo").ToString() });
        var fetch = await grid.Http.CreateToolAsync(new { name = "fetch", kind = "http_fetch" });

        var posted = await grid.Http.InvokeAsync(http, new { hello = "world" });
        var fetched = await grid.Http.InvokeAsync(fetch, new { url = new Uri(server.Address, "page").ToString() });

        Assert.Equal("world", posted["output"]!.Value<string>("hello"));
        Assert.Contains("High tide is at six.", fetched["output"]!.Value<string>("text"));
        Assert.DoesNotContain("x()", fetched["output"]!.Value<string>("text"));
        Assert.Equal(["POST /echo", "GET /page"], server.Hits);
    }
}
