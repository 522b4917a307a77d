namespace AgentGrid.Grains.Outbound;

/// <summary>
/// One hop of an outbound call, with its body buffered so that a 307 or 308 redirect can send it again.
/// </summary>
internal sealed class OutboundRequest
{
    // Meant for the origin the caller named, not for wherever it redirects to.
    private static readonly string[] OriginBoundHeaders = ["Authorization", "Cookie", "Host", "Proxy-Authorization"];

    private readonly KeyValuePair<string, IEnumerable<string>>[] _headers;
    private readonly KeyValuePair<string, IEnumerable<string>>[] _contentHeaders;
    private readonly byte[]? _body;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;

    private OutboundRequest(
        HttpMethod method,
        Uri url,
        KeyValuePair<string, IEnumerable<string>>[] headers,
        KeyValuePair<string, IEnumerable<string>>[] contentHeaders,
        byte[]? body,
        Version version,
        HttpVersionPolicy versionPolicy)
    {
        Method = method;
        Url = url;
        _headers = headers;
        _contentHeaders = contentHeaders;
        _body = body;
        _version = version;
        _versionPolicy = versionPolicy;
    }

    public HttpMethod Method { get; }

    public Uri Url { get; }

    public static async Task<OutboundRequest> CaptureAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return new OutboundRequest(
            request.Method,
            url,
            [.. request.Headers],
            request.Content is null ? [] : [.. request.Content.Headers],
            body,
            request.Version,
            request.VersionPolicy);
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url) { Version = _version, VersionPolicy = _versionPolicy };
        foreach (var (name, values) in _headers)
        {
            message.Headers.TryAddWithoutValidation(name, values);
        }

        if (_body is not null)
        {
            message.Content = new ByteArrayContent(_body);
            foreach (var (name, values) in _contentHeaders)
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                message.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return message;
    }

    /// <summary>
    /// The next hop: 307 and 308 repeat the method and body, the others turn into a GET without a body (HEAD stays
    /// HEAD). Credentials and <c>Host</c> are not carried to another origin.
    /// </summary>
    public OutboundRequest RedirectTo(Uri location, int status)
    {
        var keepsBody = status is 307 or 308;
        var method = keepsBody || Method == HttpMethod.Head ? Method : HttpMethod.Get;
        var sameOrigin = Uri.Compare(Url, location, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        var headers = sameOrigin
            ? _headers
            : Array.FindAll(_headers, header => !OriginBoundHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase));
        return keepsBody
            ? new OutboundRequest(method, location, headers, _contentHeaders, _body, _version, _versionPolicy)
            : new OutboundRequest(method, location, headers, [], null, _version, _versionPolicy);
    }
}
