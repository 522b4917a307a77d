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

    [Fact]
    public async Task Workers_and_created_profiles_come_back_after_a_restart()
    {
        using var data = new TempDirectory();
        var model = Api.UniqueName("sim");
        string workerId;
        await using (var first = await EmbeddedGrid.StartAsync(data.Path))
        {
            await (await first.Http.PostAsync("/api/profiles", new StringContent(GpuGridApiTests.SimulatorProfile(model), System.Text.Encoding.UTF8, "application/yaml")))
                .JsonAsync(HttpStatusCode.Created);
            workerId = (await (await first.Http.PostJsonAsync("/api/workers", new { model })).JsonAsync(HttpStatusCode.Accepted))["workerId"]!.GetValue<string>();
            await Eventually.TrueAsync(async () => (await first.Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "ready",
                TimeSpan.FromSeconds(30), "the worker to be ready");
        }

        await using var second = await EmbeddedGrid.StartAsync(data.Path);

        await Eventually.TrueAsync(async () => (await second.Http.GetFromJsonNodeAsync($"/api/workers/{workerId}")).Value<string>("worker.state") == "ready",
            TimeSpan.FromSeconds(30), "the worker to be loaded again");
        var reply = await (await second.Http.PostChatAsync(new { model, messages = new[] { new { role = "user", content = "back?" } } })).JsonAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(reply["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        var node = (await second.Http.GetFromJsonNodeAsync("/api/nodes"))[0]!;
        Assert.Equal(20480, node["gpus"]!.AsArray().Sum(g => g!["reservedMiB"]!.GetValue<int>()));
    }
}
