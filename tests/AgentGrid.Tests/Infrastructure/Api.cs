using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Tests.Infrastructure;

/// <summary>Small helpers for driving the REST API and checking its problem-details errors.</summary>
public static class Api
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, object body) =>
        http.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient http, string path, string body, string contentType = "application/json") =>
        http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>POSTs to <c>/v1/chat/completions</c>, optionally in a session, returning once headers arrive.</summary>
    public static Task<HttpResponseMessage> PostChatAsync(this HttpClient http, object body, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        if (sessionId is not null)
        {
            request.Headers.Add("X-Session-Id", sessionId);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// Reads a streamed chat completion until its first piece of content, then closes the connection
    /// the way a client that goes away does: a handler that drains nothing (by default, disposing an
    /// unfinished response would read the rest of it to reuse the connection).
    /// </summary>
    public static async Task LeaveAfterFirstTokenAsync(this HttpClient http, object body, string? sessionId = null)
    {
        using var leaving = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = http.BaseAddress };
        leaving.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        using var response = await leaving.PostChatAsync(body, sessionId);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line
            && !(line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"role\"", StringComparison.Ordinal)))
        {
        }
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> JsonArrayAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>Asserts an RFC 7807 problem with this status, stable code and (when given) field.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, int status, string code, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        if (field is not null)
        {
            Assert.Equal(field, problem["field"]?.GetValue<string>());
        }

        return problem;
    }

    public static async Task<string> CreateAgentAsync(this HttpClient http, object body)
    {
        var agent = await (await http.PostJsonAsync("/api/agents", body)).JsonAsync(HttpStatusCode.Created);
        return agent["id"]!.GetValue<string>();
    }

    public static async Task<string> OpenSessionAsync(this HttpClient http, string agentId, object? variables = null)
    {
        var session = await (await http.PostJsonAsync("/api/sessions", new { agentId, variables })).JsonAsync(HttpStatusCode.Created);
        return session["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> GetFromJsonNodeAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Creates a key (as the admin <paramref name="http"/> sends) and returns the key itself.</summary>
    public static async Task<string> CreateKeyAsync(this HttpClient http, string role, string? tenant = null, object? limits = null, object? budget = null, DateTimeOffset? expiresAt = null)
    {
        var created = await (await http.PostJsonAsync("/api/keys", new { name = UniqueName("key"), role, tenant, limits, budget, expiresAt })).JsonAsync(HttpStatusCode.Created);
        return created["key"]!.GetValue<string>();
    }

    /// <summary>Creates a key made for a person (<paramref name="owner"/>) with the given permissions, and returns the key itself.</summary>
    public static async Task<string> CreateOwnedKeyAsync(this HttpClient http, string role, string tenant, string owner, params string[] permissions)
    {
        var created = await (await http.PostJsonAsync("/api/keys", new { name = UniqueName("key"), role, tenant, owner, permissions })).JsonAsync(HttpStatusCode.Created);
        return created["key"]!.GetValue<string>();
    }

    /// <summary>Creates a tenant with a fresh id and returns the id.</summary>
    public static async Task<string> CreateTenantAsync(this HttpClient http, object? limits = null, object? budget = null)
    {
        var id = UniqueName("tenant");
        await (await http.PostJsonAsync("/api/tenants", new { id, name = id })).JsonAsync(HttpStatusCode.Created);
        if (limits is not null || budget is not null)
        {
            (await http.PutAsJsonAsync($"/api/tenants/{id}", new { limits, budget })).EnsureSuccessStatusCode();
        }

        return id;
    }

    public static string UniqueName(string prefix = "agent") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static T Value<T>(this JsonNode? node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
        {
            current = current?[part];
        }

        return current is null ? default! : current.Deserialize<T>()!;
    }
}
