using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Knowledge.Http;

/// <summary>The knowledge-base API as tests drive it: create, upload multipart, wait for ingestion, search.</summary>
internal static class KnowledgeClient
{
    public static async Task<string> CreateKnowledgeBaseAsync(this HttpClient http, object? body = null)
    {
        var created = await (await http.PostJsonAsync("/api/knowledge-bases", body ?? new { name = Api.UniqueName("kb") })).JsonAsync(HttpStatusCode.Created);
        return created.Value<string>("id");
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient http, string knowledgeBaseId, params (string Name, byte[] Content, string? ContentType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content, type) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(type ?? "application/octet-stream");
            // Set by hand: HttpClient would quote or encode names that tests need to send as they are.
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files\"", FileName = "\"" + name + "\"" };
            form.Add(part);
        }

        return http.PostAsync($"/api/knowledge-bases/{knowledgeBaseId}/documents", form);
    }

    public static (string, byte[], string?) Text(string name, string text, string? type = null) => (name, Encoding.UTF8.GetBytes(text), type);

    /// <summary>Uploads files and waits until every document is ready; returns the documents.</summary>
    public static async Task<JsonArray> UploadReadyAsync(this HttpClient http, string knowledgeBaseId, params (string Name, byte[] Content, string? ContentType)[] files)
    {
        var accepted = await (await http.UploadAsync(knowledgeBaseId, files)).JsonAsync(HttpStatusCode.Accepted);
        var ids = accepted["documents"]!.AsArray().Select(d => d.Value<string>("id")).ToHashSet();
        JsonArray documents = [];
        await Eventually.TrueAsync(async () =>
        {
            documents = (await http.GetFromJsonNodeAsync($"/api/knowledge-bases/{knowledgeBaseId}/documents"))["documents"]!.AsArray();
            var mine = documents.Where(d => ids.Contains(d.Value<string>("id"))).ToList();
            Assert.DoesNotContain(mine, d => d.Value<string>("state") == "failed");
            return mine.Count == ids.Count && mine.All(d => d.Value<string>("state") == "ready");
        }, TimeSpan.FromSeconds(60), "the documents to be ready");
        return documents;
    }

    /// <summary>Uploads files (accepted) and waits until every document is ready or failed; returns them by name.</summary>
    public static async Task<Dictionary<string, JsonNode>> UploadSettledAsync(this HttpClient http, string knowledgeBaseId, params (string Name, byte[] Content, string? ContentType)[] files)
    {
        var accepted = await (await http.UploadAsync(knowledgeBaseId, files)).JsonAsync(HttpStatusCode.Accepted);
        var ids = accepted["documents"]!.AsArray().Select(d => d.Value<string>("id")).ToHashSet();
        List<JsonNode> mine = [];
        await Eventually.TrueAsync(async () =>
        {
            var documents = (await http.GetFromJsonNodeAsync($"/api/knowledge-bases/{knowledgeBaseId}/documents"))["documents"]!.AsArray();
            mine = [.. documents.Where(d => ids.Contains(d.Value<string>("id"))).Select(d => d!)];
            return mine.Count == ids.Count && mine.All(d => d.Value<string>("state") is "ready" or "failed");
        }, TimeSpan.FromSeconds(60), "the documents to settle");
        return mine.ToDictionary(d => d.Value<string>("name"));
    }

    public static async Task<JsonArray> SearchAsync(this HttpClient http, string knowledgeBaseId, string query, string mode = "hybrid", int k = 5) =>
        (await http.GetFromJsonNodeAsync($"/api/knowledge-bases/{knowledgeBaseId}/search?q={Uri.EscapeDataString(query)}&k={k}&mode={mode}"))["results"]!.AsArray();
}
