using System.Net;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

public sealed class EmbeddedRestartTests
{
    [Fact]
    public async Task Stopping_and_starting_the_embedded_grid_keeps_agents_and_sessions()
    {
        using var data = new TempDirectory();
        string agentId, sessionId, reply;
        await using (var first = await EmbeddedGrid.StartAsync(data.Path))
        {
            agentId = await first.Http.CreateAgentAsync(new { name = "survivor", systemPrompt = "Persist." });
            sessionId = await first.Http.OpenSessionAsync(agentId);
            var turn = await (await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "still here?" }))
                .JsonAsync(HttpStatusCode.OK);
            reply = turn["reply"].Value<string>("content");
        }

        await using var second = await EmbeddedGrid.StartAsync(data.Path);

        var agent = await (await second.Http.GetAsync($"/api/agents/{agentId}")).JsonAsync(HttpStatusCode.OK);
        var messages = await (await second.Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync();
        Assert.Equal("survivor", agent.Value<string>("name"));
        Assert.Equal(["still here?", reply], messages.Select(m => m.Value<string>("content")));
        await (await second.Http.PostJsonAsync("/api/agents", new { name = "survivor" })).ProblemAsync(409, "agent_name_conflict");
    }
}
