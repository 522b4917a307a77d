using System.Net;
using System.Net.Http.Headers;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentGrid.Tests.Inference;

/// <summary>The simulator run by hand: <c>/v1</c> open on loopback as on a vLLM without a key, <c>/sim</c> only with a key.</summary>
public sealed class SimulatorCredentialTests
{
    [Fact]
    public async Task Without_a_key_sim_is_refused_and_v1_answers_on_loopback()
    {
        await using var server = await InferenceSimulatorServer.StartAsync(new SimulatorOptions());
        using var http = new HttpClient { BaseAddress = server.Address };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/sim/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PutAsync("/sim/faults", JsonContent(new { refuse = true }))).StatusCode);
        Assert.False(server.Engine.Faults.Refuse);
    }

    [Fact]
    public async Task With_a_key_nothing_but_health_answers_without_it()
    {
        await using var server = await InferenceSimulatorServer.StartAsync(new SimulatorOptions { ApiKey = "sim-test-key-0123456789" });
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        using var keyed = new HttpClient { BaseAddress = server.Address };
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sim-test-key-0123456789");

        foreach (var path in new[] { "/v1/models", "/sim/stats", "/sim/faults", "/info" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_simulator_on_an_address_other_machines_reach_needs_a_key()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => InferenceSimulatorServer.StartAsync(new SimulatorOptions { Host = "0.0.0.0" }));
        Assert.Contains("AGENTGRID_SIMULATOR_API_KEY", refused.Message);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

/// <summary>The embedded grid's own simulator and its Orleans ports answer to nothing but the grid.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class EmbeddedSimulatorCredentialTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task The_embedded_simulator_answers_401_without_the_grids_random_key_and_the_grid_still_calls_it()
    {
        var simulator = fixture.Grid.Services.GetRequiredService<EmbeddedSimulator>().Server;
        using var anonymous = new HttpClient { BaseAddress = simulator.Address };

        foreach (var path in new[] { "/v1/models", "/sim/stats", "/sim/faults" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/chat/completions", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.StartsWith("sim_", fixture.Grid.Services.GetRequiredService<IOptions<AgentGrid.Inference.Providers.InferenceOptions>>().Value.Simulator.ApiKey);
        var agentId = await fixture.Http.CreateAgentAsync(new { name = Api.UniqueName("keyedsim"), model = "simulator" });
        var session = await fixture.Http.OpenSessionAsync(agentId);
        (await fixture.Http.PostJsonAsync($"/api/sessions/{session}/messages", new { content = "hello" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public void The_embedded_silo_opens_no_gateway_for_orleans_clients()
    {
        var endpoints = fixture.Grid.Services.GetRequiredService<IOptions<Orleans.Configuration.EndpointOptions>>().Value;

        Assert.Equal(0, endpoints.GatewayPort);
    }
}
