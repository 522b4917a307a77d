using System.Net.Sockets;
using AgentGrid.Contracts.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Outbound;

/// <summary>
/// The one way grains make HTTP calls to URLs a tenant chose: http and https only, connections only to addresses
/// <see cref="AddressPolicy"/> allows (checked on every hop, at connect time), redirects followed by hand, one
/// deadline for the whole call, and a cap on the body. Every failure is an <see cref="AgentGridException"/>.
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(1);

    private readonly OutboundOptions _options;
    private readonly GuardedConnector _connector;
    private readonly HttpMessageInvoker _invoker;

    public OutboundHttp(IOptions<OutboundOptions> options, ILogger<OutboundHttp> logger)
    {
        _options = options.Value;
        _connector = new GuardedConnector(AddressPolicy.FromOptions(_options), _options.AllowedHosts, logger);
        _invoker = new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
    }

    /// <summary>
    /// A handler with the address guard but without the size, redirect and timeout handling of
    /// <see cref="SendAsync"/>, for clients (MCP) that drive HTTP themselves. A refused address fails the request with
    /// an <see cref="HttpRequestException"/> whose inner exception is the <c>url_not_allowed</c>
    /// <see cref="AgentGridException"/>. The caller owns the handler.
    /// </summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        ConnectCallback = _connector.ConnectAsync,
        ConnectTimeout = _options.Timeout,
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = PooledConnectionLifetime,
    };

    /// <summary>Sends the request, follows redirects and reads the whole body.</summary>
    /// <exception cref="AgentGridException">
    /// <c>url_not_allowed</c> for a scheme other than http or https, or a host with no allowed address (on any hop);
    /// <c>response_too_large</c> for a body over <see cref="OutboundOptions.MaxResponseBytes"/>;
    /// <c>tool_timeout</c> past <see cref="OutboundOptions.Timeout"/>; <c>tool_failed</c> when the name does not
    /// resolve, the connection fails, or there are more than <see cref="OutboundOptions.MaxRedirects"/> redirects.
    /// </exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<OutboundResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = CheckScheme(request.RequestUri);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            var hop = await OutboundRequest.CaptureAsync(request, url, deadline.Token);
            for (var redirects = 0; ; redirects++)
            {
                url = hop.Url;
                using var message = hop.ToMessage();
                using var response = await _invoker.SendAsync(message, deadline.Token);
                var status = (int)response.StatusCode;
                if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                {
                    var body = await ReadBodyAsync(response.Content, url, deadline.Token);
                    return new OutboundResponse(status, response.Content.Headers.ContentType?.ToString(), body, url);
                }

                if (redirects == _options.MaxRedirects)
                {
                    throw new AgentGridException(ErrorCodes.ToolFailed, $"The call to '{url.Host}' was redirected more than {_options.MaxRedirects} times.");
                }

                hop = hop.RedirectTo(CheckScheme(new Uri(url, location)), status);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or SocketException
            && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentGridException(ErrorCodes.ToolTimeout, $"The call to '{url.Host}' did not finish within {_options.Timeout.TotalMilliseconds:0} ms.");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            if (e.SelfAndCauses().OfType<AgentGridException>().FirstOrDefault() is { } refusal)
            {
                throw new AgentGridException(refusal.Code, refusal.Message);
            }

            var reason = e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http ? $" ({http.HttpRequestError})" : "";
            throw new AgentGridException(ErrorCodes.ToolFailed, $"The call to '{url.Host}' failed{reason}.");
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static Uri CheckScheme(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new AgentGridException(ErrorCodes.UrlNotAllowed, "Only absolute http and https URLs can be called.");

    private async Task<byte[]> ReadBodyAsync(HttpContent content, Uri url, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        if (content.Headers.ContentLength > limit)
        {
            throw TooLarge(url);
        }

        // Content-Length may be absent or wrong, so the limit also holds while streaming.
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw TooLarge(url);
            }

            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    private AgentGridException TooLarge(Uri url) =>
        new(ErrorCodes.ResponseTooLarge, $"The response from '{url.Host}' is larger than {_options.MaxResponseBytes} bytes.");
}
