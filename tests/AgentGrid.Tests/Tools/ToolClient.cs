using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools;

internal static class ToolClient
{
    public static async Task<string> CreateToolAsync(this HttpClient http, object body) =>
        (await (await http.PostJsonAsync("/api/tools", body)).JsonAsync(HttpStatusCode.Created)).Value<string>("id");

    public static async Task<JsonObject> InvokeAsync(this HttpClient http, string toolId, object input) =>
        await (await http.PostJsonAsync($"/api/tools/{toolId}/invoke", new { input })).JsonAsync(HttpStatusCode.OK);
}
