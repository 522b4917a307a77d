using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Outbound;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Grains.Tools;

/// <summary>Runs a tool of each kind on validated input; its output is JSON. Every outbound URL goes through <see cref="OutboundHttp"/>.</summary>
public sealed class ToolRunner(OutboundHttp outbound, IGrainFactory grains, ToolStorage storage)
{
    public const int MaxFetchedTextLength = 100_000;

    public async Task<JsonElement> RunAsync(string tenant, Tool tool, JsonElement input, ToolCallContext context, CancellationToken cancellationToken)
    {
        var definition = tool.Definition;
        JsonNode output = definition.Kind switch
        {
            ToolKind.Files => await new FileSandbox(storage.For(tenant), FileSandboxLimits.Default).RunAsync(AsObject(input), cancellationToken),
            ToolKind.Sqlite => await new SqliteSandbox(storage.For(tenant), definition.Writable, SqliteSandboxLimits.Default)
                .RunAsync(AsObject(input), cancellationToken),
            ToolKind.KnowledgeSearch => await SearchAsync(tenant, definition, input, context),
            ToolKind.HttpFetch => await FetchAsync(input.GetProperty("url").GetString()!, cancellationToken),
            ToolKind.Http => await CallAsync(definition, input, cancellationToken),
            ToolKind.Mcp => JsonNode.Parse(await grains.GetGrain<IMcpServerGrain>(GrainKeys.For(tenant, definition.McpServerId!))
                .CallAsync(definition.RemoteName!, input.GetRawText()).WaitAsync(cancellationToken)) ?? new JsonObject(),
            _ => throw new AgentGridException(ErrorCodes.ToolDisabled, $"Tools of kind {definition.Kind} cannot run here."),
        };
        return JsonSerializer.SerializeToElement(output);
    }

    private static JsonObject AsObject(JsonElement input) => JsonNode.Parse(input.GetRawText())!.AsObject();

    private async Task<JsonNode> SearchAsync(string tenant, ToolDefinition definition, JsonElement input, ToolCallContext context)
    {
        var knowledgeBase = definition.KnowledgeBaseId
            ?? (input.TryGetProperty("knowledge_base_id", out var named) ? named.GetString() : null)
            ?? throw AgentGridException.Validation("input.knowledge_base_id", "Name the knowledge base to search (knowledge_base_id).");
        if (!GrainKeys.IsValidId(knowledgeBase))
        {
            throw new AgentGridException(ErrorCodes.KnowledgeBaseNotFound, $"Knowledge base '{knowledgeBase}' was not found.");
        }

        var k = input.TryGetProperty("k", out var count) ? count.GetInt32() : 5;
        var mode = input.TryGetProperty("mode", out var named2) && Enum.TryParse<KnowledgeSearchMode>(named2.GetString(), true, out var m) ? m : KnowledgeSearchMode.Hybrid;
        var hits = await grains.GetGrain<IKnowledgeBaseGrain>(GrainKeys.For(tenant, knowledgeBase))
            .SearchAsync(input.GetProperty("query").GetString()!, k, mode, new Caller(tenant, context.KeyId));
        return new JsonObject
        {
            ["results"] = new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
            {
                ["document_id"] = h.DocumentId, ["document_name"] = h.DocumentName, ["chunk_id"] = h.ChunkId, ["score"] = h.Score, ["text"] = h.Text,
            })]),
        };
    }

    private async Task<JsonNode> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target))
        {
            throw AgentGridException.Validation("input.url", "url must be an absolute http(s) URL.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        var response = await outbound.SendAsync(request, cancellationToken);
        if (response.Status is < 200 or >= 300)
        {
            throw new AgentGridException(ErrorCodes.ToolFailed, $"The page answered HTTP {response.Status}.");
        }

        var html = response.ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;
        var text = html
            ? string.Join("\n\n", DocumentExtractor.Extract(response.Body, DocumentType.Html, ExtractionLimits.Default).Sections
                .Select(s => s.Heading is null ? s.Text : s.Heading + "\n" + s.Text))
            : Encoding.UTF8.GetString(response.Body);
        return new JsonObject
        {
            ["url"] = response.FinalUrl.ToString(),
            ["status"] = response.Status,
            ["text"] = text.Length <= MaxFetchedTextLength ? text : text[..MaxFetchedTextLength],
            ["truncated"] = text.Length > MaxFetchedTextLength,
        };
    }

    private async Task<JsonNode> CallAsync(ToolDefinition definition, JsonElement input, CancellationToken cancellationToken)
    {
        var url = new Uri(definition.Url!);
        var method = new HttpMethod(definition.Method ?? "POST");
        if (method == HttpMethod.Get && input.ValueKind == JsonValueKind.Object)
        {
            var query = string.Join("&", input.EnumerateObject().Select(p =>
                Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())));
            url = new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? query : url.Query.TrimStart('?') + "&" + query }.Uri;
        }

        using var request = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(input.GetRawText(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        var response = await outbound.SendAsync(request, cancellationToken);
        var body = Encoding.UTF8.GetString(response.Body);
        if (response.Status is < 200 or >= 300)
        {
            throw new AgentGridException(ErrorCodes.ToolFailed, $"The tool's URL answered HTTP {response.Status}.");
        }

        try
        {
            return JsonNode.Parse(body.Length == 0 ? "null" : body) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject { ["status"] = response.Status, ["body"] = body };
        }
    }
}
