using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Outbound;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Outbound;

internal static class OutboundHttpFactory
{
    /// <summary>Allow-lists only 127.0.0.1, which is where the <see cref="RecordingServer"/> listens.</summary>
    public static OutboundOptions LoopbackAllowed() => new() { AllowedNetworks = ["127.0.0.1/32"] };

    public static OutboundHttp Create(OutboundOptions? options = null) =>
        new(Options.Create(options ?? new OutboundOptions()), NullLogger<OutboundHttp>.Instance);

    public static Task<OutboundResponse> GetAsync(this OutboundHttp http, Uri url) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);

    public static async Task<AgentGridException> FailsWith(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(call);
        Assert.Equal(code, error.Code);
        return error;
    }
}
