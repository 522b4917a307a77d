using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Infrastructure.Cluster;

namespace AgentGrid.Tests.Cluster;

/// <summary>Two silos, PostgreSQL, Redis and a separate front door: a silo killed mid-reply loses nothing acknowledged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    private HttpClient Http => cluster.Http;

    [Fact]
    public async Task Killing_a_silo_mid_reply_loses_no_acknowledged_message_and_interrupted_turns_can_be_retried()
    {
        const int sessions = 8;
        var agentId = await Http.CreateAgentAsync(new { name = Api.UniqueName(), systemPrompt = "Talk at length." });
        var ids = new List<string>();
        for (var i = 0; i < sessions; i++)
        {
            ids.Add(await Http.OpenSessionAsync(agentId));
        }

        var acknowledged = new Dictionary<string, List<string>>();
        var firsts = await Task.WhenAll(ids.Select(async (id, i) =>
            await (await Http.PostJsonAsync($"/api/sessions/{id}/messages", new { content = "first", messageId = $"msg_first_{i}" })).JsonAsync(HttpStatusCode.OK)));
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            acknowledged[id] = ["msg_first_" + i, firsts[i]["reply"]!["id"]!.GetValue<string>()];
        }

        // Second turns, each acknowledged (stored) before the kill; their replies take about three seconds.
        var sends = ids.Select((id, i) => Http.PostJsonAsync($"/api/sessions/{id}/messages", new { content = "second", messageId = $"msg_second_{i}" })).ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await Eventually.TrueAsync(async () => (await MessagesAsync(id)).Any(m => m.Value<string>("id") == $"msg_second_{i}"),
                TimeSpan.FromSeconds(30), $"the second message of session {i} to be stored");
            acknowledged[id].Add($"msg_second_{i}");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        cluster.KillSilo("b");
        try
        {

        // Retrying with the same id answers the interrupted turns and returns the finished ones; nothing is stored twice.
        // The retries start at once, alongside the sends still waiting, as impatient clients do.
        var recovered = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await Eventually.TrueAsync(async () =>
                (await Http.PostJsonAsync($"/api/sessions/{id}/messages", new { content = "second", messageId = $"msg_second_{i}" })).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(90), $"session {i} to answer again");
            return clock.Elapsed;
        }));
        output.WriteLine($"sessions answered again {recovered.Min().TotalSeconds:0.0}-{recovered.Max().TotalSeconds:0.0} s after the kill");

        // Every send that was out is answered: the front door sent it again (same message id) as soon as it lost b's gateway,
        // and again while the cluster rejected it, until b was voted out and its sessions came back on a. None waited out
        // the call timeout behind the dead gateway, and none failed.
        var outcomes = await Task.WhenAll(sends);
        Assert.All(outcomes, o => Assert.True(o.StatusCode is HttpStatusCode.OK, $"{(int)o.StatusCode}"));
        output.WriteLine($"sends ended {clock.Elapsed.TotalSeconds:0.0} s after the kill: {string.Join(", ", outcomes.Select(o => (int)o.StatusCode))}");
        var frontDoorLog = cluster.FrontDoorLog();
        Assert.Contains("Lost a gateway: 1 of 2 left", frontDoorLog);
        Assert.Contains("A gateway was lost while a call was out; sending it again", frontDoorLog);

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var messages = await MessagesAsync(id);
            var stored = messages.Select(m => m.Value<string>("id")).ToList();
            Assert.Superset(acknowledged[id].ToHashSet(), stored.ToHashSet());
            Assert.Single(stored, s => s == $"msg_second_{i}");
            Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => m.Value<string>("role")));

            // What the API shows is what PostgreSQL holds: the history's rows.
            var rows = await cluster.StoredRecordsAsync($"session/default/{id}");
            Assert.All(stored, messageId => Assert.Contains(messageId, rows));

            // A client that reconnects with the last sequence it saw continues without gaps or duplicates.
            var all = await EventSequencesAsync(id, after: 0);
            Assert.Equal(all.Order(), all);
            Assert.Equal(all.Count, all.Distinct().Count());
            var resumed = await EventSequencesAsync(id, after: all[all.Count / 2]);
            Assert.Equal(all.Skip(all.Count / 2 + 1), resumed);
        }
        }
        finally
        {
            // The other cluster tests share this grid: it gets its second silo back.
            await cluster.StartSiloAsync("b");
        }
    }

    private async Task<List<JsonNode>> MessagesAsync(string sessionId) =>
        [.. (await (await Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync()).Select(m => m!)];

    /// <summary>The sequence numbers the SSE endpoint replays after <paramref name="after"/>, read until the stream goes quiet.</summary>
    private async Task<List<long>> EventSequencesAsync(string sessionId, long after)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var sequences = new List<long>();
        try
        {
            using var response = await Http.GetAsync($"/api/sessions/{sessionId}/events?after={after}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    sequences.Add(long.Parse(line[4..]));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The replay is over: the stream stays open for live events, and none come.
        }

        return sequences;
    }
}
