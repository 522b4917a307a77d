using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>Stateless <c>/v1</c> calls are made by the front door itself: no grain activation per request, metered exactly.</summary>
public sealed class DataPlaneTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly GrainCalls _calls = new();
    private EmbeddedGrid _grid = null!;

    public async Task InitializeAsync() =>
        _grid = await EmbeddedGrid.StartAsync(_data.Path, configure: builder => builder.Services.AddSingleton<IIncomingGrainCallFilter>(_calls));

    public async Task DisposeAsync()
    {
        await _grid.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Whole_and_streamed_completions_call_no_completion_grain_and_every_one_is_in_the_ledger()
    {
        long input = 0, output = 0;
        for (var i = 0; i < 3; i++)
        {
            using var whole = await _grid.Http.PostChatAsync(new { model = "simulator", messages = new[] { new { role = "user", content = $"whole {i}" } } });
            var completion = await whole.JsonAsync(HttpStatusCode.OK);
            Assert.False(string.IsNullOrEmpty(completion["choices"]![0]!["message"]!.Value<string>("content")));
            input += completion.Value<long>("usage.prompt_tokens");
            output += completion.Value<long>("usage.completion_tokens");

            using var streamed = await _grid.Http.PostChatAsync(new
            {
                model = "simulator", stream = true, stream_options = new { include_usage = true },
                messages = new[] { new { role = "user", content = $"streamed {i}" } },
            });
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            var usage = (await ReadUsageAsync(streamed))!;
            input += usage.Value<long>("prompt_tokens");
            output += usage.Value<long>("completion_tokens");
        }

        Assert.DoesNotContain(_calls.Interfaces.Keys, name => name.Contains("CompletionGrain", StringComparison.Ordinal) || name.Contains("CompletionWorker", StringComparison.Ordinal));
        // The ledger and the quota were still asked: the calls were metered where they were made.
        Assert.Contains(_calls.Interfaces.Keys, name => name.Contains("UsageLedger", StringComparison.Ordinal));

        await Eventually.TrueAsync(async () => (await _grid.Http.GetFromJsonNodeAsync("/api/usage")).AsArray().SingleOrDefault()?.Value<long>("requests") == 6,
            TimeSpan.FromSeconds(10), "the six calls to be in the ledger");
        var total = (await _grid.Http.GetFromJsonNodeAsync("/api/usage")).AsArray().Single()!;
        Assert.Equal(input, total.Value<long>("inputTokens"));
        Assert.Equal(output, total.Value<long>("outputTokens"));
    }

    private static async Task<JsonNode?> ReadUsageAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        JsonNode? usage = null;
        while (await reader.ReadLineAsync() is { } line && line != "data: [DONE]")
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..])?["usage"] is JsonObject reported)
            {
                usage = reported;
            }
        }

        return usage;
    }

    /// <summary>The grain interfaces called in the silo, with how often.</summary>
    private sealed class GrainCalls : IIncomingGrainCallFilter
    {
        public ConcurrentDictionary<string, int> Interfaces { get; } = new(StringComparer.Ordinal);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            Interfaces.AddOrUpdate(context.InterfaceName, 1, (_, n) => n + 1);
            return context.Invoke();
        }
    }
}
