using System.Text.Json;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Outbound;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// Talks to an attached MCP server over streamable HTTP through the SSRF guard, or to an operator's stdio server as a
/// process: one short-lived client per use, so no session state is kept between calls. Failures become typed errors.
/// A stdio server is checked against its tenant list on every use (the configuration may have changed since attach),
/// runs with an environment and a folder of its own, and at most so many at once (<see cref="StdioProcessSlots"/>).
/// </summary>
public sealed class McpConnection(
    OutboundHttp outbound, Microsoft.Extensions.Options.IOptions<OutboundOptions> limits,
    Microsoft.Extensions.Options.IOptionsMonitor<McpStdioOptions> stdio, StdioProcessSlots slots)
{
    private static readonly string[] Inherited = ["PATH", "LANG"];

    public const string StdioScheme = "stdio:";

    /// <summary>The configured stdio server a URL <c>stdio:{name}</c> names, or null for any other URL.</summary>
    public static string? StdioName(string? url) =>
        url?.StartsWith(StdioScheme, StringComparison.Ordinal) == true ? url[StdioScheme.Length..] : null;

    public sealed record RemoteTool(string Name, string? Description, string InputSchema);

    public Task<IReadOnlyList<RemoteTool>> ListToolsAsync(McpServerDefinition server, string tenant, CancellationToken cancellationToken) =>
        WithClientAsync(server, tenant, async client =>
        {
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            return (IReadOnlyList<RemoteTool>)[.. tools.Select(t => new RemoteTool(t.Name, t.Description, t.JsonSchema.GetRawText()))];
        }, cancellationToken);

    /// <summary>The tool's result as JSON: its structured content, else its text parsed as JSON, else <c>{"text": …}</c>.</summary>
    public Task<string> CallAsync(McpServerDefinition server, string tenant, string tool, string arguments, CancellationToken cancellationToken) =>
        WithClientAsync(server, tenant, async client =>
        {
            var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments) ?? [];
            var result = await client.CallToolAsync(tool, args, cancellationToken: cancellationToken);
            var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
            if (result.IsError == true)
            {
                throw new AgentGridException(ErrorCodes.ToolFailed, text.Length > 0 ? text : $"The MCP tool '{tool}' failed.");
            }

            if (result.StructuredContent is { } structured)
            {
                return structured.GetRawText();
            }

            try
            {
                using var parsed = JsonDocument.Parse(text);
                return parsed.RootElement.GetRawText();
            }
            catch (JsonException)
            {
                return JsonSerializer.Serialize(new { text });
            }
        }, cancellationToken);

    /// <summary>The configured server <paramref name="name"/> if <paramref name="tenant"/> may still use it.</summary>
    private McpStdioServer Configured(string name, string tenant) =>
        stdio.CurrentValue.For(name, tenant)
        ?? throw new AgentGridException(ErrorCodes.ToolDisabled, $"The stdio MCP server '{name}' is no longer configured for this tenant on this grid.");

    private StdioClientTransport Stdio(string name, McpStdioServer server, string displayName)
    {
        var folder = stdio.CurrentValue.FolderOf(name, server);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var environment = Processes.ChildEnvironment.Inherit(Inherited);
        environment["HOME"] = folder;
        foreach (var (variable, value) in server.Environment)
        {
            if (value is not null)
            {
                environment[variable] = value;
            }
        }

        // In a process group of its own that dies with this silo, even by kill -9: a stdio server never outlives its caller.
        var (command, arguments) = Processes.ParentBoundGroup.Wrap(server.Command, server.Arguments, Environment.ProcessId);
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = command,
            Arguments = [.. arguments],
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment.ToDictionary(e => e.Key, e => (string?)e.Value),
            WorkingDirectory = folder,
            Name = displayName,
        });
    }

    private async Task<T> WithClientAsync<T>(McpServerDefinition server, string tenant, Func<McpClient, Task<T>> use, CancellationToken caller)
    {
        // A whole use of the server, streamed responses included, is bounded in time and in bytes.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(caller);
        deadline.CancelAfter(limits.Value.Timeout * 3);
        var cancellationToken = deadline.Token;
        using var http = new HttpClient(new SizeLimitingHandler(outbound.CreateHandler(), limits.Value.MaxResponseBytes * 4), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        IAsyncDisposable? slot = null;
        try
        {
            IClientTransport transport;
            if (StdioName(server.Url) is { } name)
            {
                var configured = Configured(name, tenant);
                slot = await slots.EnterAsync(name, tenant, configured, cancellationToken);
                transport = Stdio(name, configured, server.Name);
            }
            else
            {
                transport = new HttpClientTransport(new HttpClientTransportOptions
                {
                    Endpoint = new Uri(server.Url),
                    TransportMode = HttpTransportMode.StreamableHttp,
                    AdditionalHeaders = server.Headers.ToDictionary(),
                    Name = server.Name,
                }, http, ownsHttpClient: false);
            }

            await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
            return await use(client);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new AgentGridException(ErrorCodes.ToolTimeout, $"The MCP server '{server.Name}' did not finish within {limits.Value.Timeout * 3}.");
        }
        catch (Exception e) when (e is not AgentGridException and not OperationCanceledException)
        {
            if (e.SelfAndCauses().OfType<AgentGridException>().FirstOrDefault() is { } refused)
            {
                throw refused;
            }

            throw new AgentGridException(ErrorCodes.ToolFailed, $"The MCP server '{server.Name}' did not answer as MCP: {e.GetType().Name}.");
        }
        finally
        {
            if (slot is not null)
            {
                await slot.DisposeAsync();
            }
        }
    }

}

/// <summary>Fails a response whose body grows past <paramref name="maxBytes"/>, however it is read.</summary>
internal sealed class SizeLimitingHandler(HttpMessageHandler inner, long maxBytes) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var limited = new StreamContent(new LimitedStream(body, maxBytes));
        foreach (var header in response.Content.Headers)
        {
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = limited;
        return response;
    }

    private sealed class LimitedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes
                ? throw new AgentGridException(ErrorCodes.ResponseTooLarge, $"The MCP server sent more than {maxBytes} bytes.")
                : read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
