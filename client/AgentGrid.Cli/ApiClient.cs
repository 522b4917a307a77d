using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentGrid.Cli;

/// <summary>The REST API as the CLI uses it: JSON in, JSON out, problem details turned into one readable error.</summary>
public sealed class ApiClient(HttpClient http)
{
    public Task<JsonElement> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<JsonElement> PostJsonAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

    public Task<JsonElement> PostYamlAsync(string path, string yaml) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") });

    public Task<JsonElement> PutJsonAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) });

    public Task<JsonElement> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    private async Task<JsonElement> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Cannot reach AgentGrid at {http.BaseAddress}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            JsonElement body = default;
            if (text.Length > 0)
            {
                try
                {
                    body = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new CliException($"{request.Method} {request.RequestUri} answered HTTP {(int)response.StatusCode} with a body that is not JSON.");
                }
            }

            if (!response.IsSuccessStatusCode)
            {
                var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) ? c.GetString() : null;
                var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() : null;
                var retry = response.Headers.RetryAfter?.Delta is { } delta ? $" (retry after {delta.TotalSeconds:0} s)" : "";
                throw new CliException($"{code ?? $"HTTP {(int)response.StatusCode}"}: {detail ?? response.ReasonPhrase}{retry}");
            }

            return body;
        }
    }
}
