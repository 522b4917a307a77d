using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>AgentGrid as an MCP server, used by the official MCP TypeScript SDK client (<c>browser/mcp-client.mjs</c>).</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class McpServerTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task An_mcp_client_lists_agents_talks_to_one_in_a_session_and_searches_a_knowledge_base()
    {
        var member = await fixture.Http.CreateKeyAsync("member");
        using var http = fixture.Grid.Client(member);
        var kb = await http.CreateKnowledgeBaseAsync();
        await http.UploadReadyAsync(kb, KnowledgeClient.Text("parking.md", "# Parking\n\nStaff park in the north garage, level 3."));
        var name = Api.UniqueName("mcp");
        await http.CreateAgentAsync(new { name, knowledgeBases = new[] { new { id = kb } } });

        var result = await NodeScripts.RunAsync("mcp-client.mjs", fixture.Grid.Address.ToString(), member, name, kb);

        Assert.Equal(["list_agents", "search_knowledge_base", "send_message"], result["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains(result["agents"]!.AsArray(), a => a.Value<string>("name") == name);
        Assert.False(string.IsNullOrEmpty(result["first"].Value<string>("reply")));
        Assert.Equal("parking.md", result["first"]!["citations"]![0].Value<string>("documentName"));
        var sessionId = result["first"].Value<string>("session_id");
        Assert.Equal(sessionId, result["second"].Value<string>("session_id"));
        Assert.Equal(4, (await (await http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync()).Count);
        Assert.Equal("parking.md", result["search"]![0].Value<string>("documentName"));
        Assert.True(result["missing"].Value<bool>("isError"));
        Assert.StartsWith("agent_not_found", result["missing"].Value<string>("text"));
        Assert.Contains("401", result.Value<string>("refused"));
    }
}
