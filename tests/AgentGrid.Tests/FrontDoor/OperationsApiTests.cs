using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.FrontDoor;

[Collection(FrontDoorCollection.Name)]
public sealed class OperationsApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Models_lists_each_configured_model_and_whether_it_answers()
    {
        var models = await (await Http.GetAsync("/api/models")).JsonArrayAsync();

        var simulator = models.Single(m => m.Value<string>("name") == "simulator");
        var offline = models.Single(m => m.Value<string>("name") == "offline");
        Assert.True(simulator.Value<bool>("available"));
        Assert.True(simulator.Value<bool>("isDefault"));
        Assert.True(simulator.Value<bool>("simulated"));
        Assert.False(offline.Value<bool>("available"));
        Assert.Equal("connection refused", offline.Value<string>("error"));
    }

    [Fact]
    public async Task Health_and_readiness_answer_200_when_the_grid_is_up()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
        var ready = await Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_resource()
    {
        var document = JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/api/agents", paths);
        Assert.Contains("/api/agents/{id}/rollback/{version}", paths);
        Assert.Contains("/api/sessions/{id}/messages", paths);
        Assert.Contains("/api/models", paths);
    }
}
