using System.Text.Json;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Outbound;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentGrid.Grains.Tools.Mcp;

/// <summary>
/// Talks to an attached MCP server over streamable HTTP through the SSRF guard: one short-lived client per use, so no
/// session state is kept between calls. Failures become typed errors.
/// </summary>
public sealed class McpConnection(OutboundHttp outbound)
{
    public sealed record RemoteTool(string Name, string? Description, string InputSchema);

    public Task<IReadOnlyList<RemoteTool>> ListToolsAsync(McpServerDefinition server, CancellationToken cancellationToken) =>
        WithClientAsync(server, async client =>
        {
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            return (IReadOnlyList<RemoteTool>)[.. tools.Select(t => new RemoteTool(t.Name, t.Description, t.JsonSchema.GetRawText()))];
        }, cancellationToken);

    /// <summary>The tool's result as JSON: its structured content, else its text parsed as JSON, else <c>{"text": …}</c>.</summary>
    public Task<string> CallAsync(McpServerDefinition server, string tool, string arguments, CancellationToken cancellationToken) =>
        WithClientAsync(server, async client =>
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

    private async Task<T> WithClientAsync<T>(McpServerDefinition server, Func<McpClient, Task<T>> use, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(outbound.CreateHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(server.Url),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = server.Headers.ToDictionary(),
                Name = server.Name,
            }, http, ownsHttpClient: false);
            await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
            return await use(client);
        }
        catch (Exception e) when (e is not AgentGridException and not OperationCanceledException)
        {
            if (Unwrap(e) is { } refused)
            {
                throw refused;
            }

            throw new AgentGridException(ErrorCodes.ToolFailed, $"The MCP server '{server.Name}' did not answer as MCP: {e.GetType().Name}.");
        }
    }

    /// <summary>The guard's refusal, however deep the transport wrapped it.</summary>
    private static AgentGridException? Unwrap(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AgentGridException known)
            {
                return known;
            }
        }

        return null;
    }
}
