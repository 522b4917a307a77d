using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentGrid.Bench;

public static class BenchAgents
{
    public static async Task<string> CreateAsync(HttpClient http, Uri grid, string name)
    {
        var agent = await (await http.PostAsJsonAsync(new Uri(grid, "/api/agents"), new { name, systemPrompt = SessionBench.SystemPrompt, model = "bench" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        return agent!["id"]!.GetValue<string>();
    }

    public static async Task<string> OpenSessionAsync(HttpClient http, Uri grid, string agentId)
    {
        var session = await (await http.PostAsJsonAsync(new Uri(grid, "/api/sessions"), new { agentId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        return session!["id"]!.GetValue<string>();
    }
}
