using System.Net;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Cluster;

/// <summary>The front door as its own process, for a model configured only on the silos.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCompletionTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_model_the_front_door_has_no_endpoint_for_is_completed_on_a_silo_whole_and_streamed()
    {
        using var whole = await cluster.Http.PostChatAsync(new { model = "simulator", messages = new[] { new { role = "user", content = "hello" } } });
        var completion = await whole.JsonAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(completion["choices"]![0]!["message"]!.Value<string>("content")));
        Assert.Equal("stop", completion["choices"]![0]!.Value<string>("finish_reason"));

        using var streamed = await cluster.Http.PostChatAsync(new { model = "simulator", stream = true, messages = new[] { new { role = "user", content = "hello" } } });
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        var body = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("\"finish_reason\":\"stop\"", body);
        Assert.EndsWith("data: [DONE]", body.TrimEnd());
    }
}
