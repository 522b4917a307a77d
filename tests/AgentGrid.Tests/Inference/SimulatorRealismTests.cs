using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Simulator;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentGrid.Tests.Inference;

/// <summary>The simulator behaves like a GPU model server: prefill cost, prefix cache, load, KV capacity, injected faults.</summary>
public sealed class SimulatorRealismTests
{
    private static readonly (string, string)[] LongPrompt =
        [("system", string.Join(' ', Enumerable.Range(0, 120).Select(i => $"rule{i}"))), ("user", "What now?")];

    private static SimulatorEngine Engine(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(10), InterTokenLatency = TimeSpan.FromMilliseconds(2), PrefillPerToken = TimeSpan.FromMilliseconds(1) };
        configure?.Invoke(options);
        return new SimulatorEngine(options);
    }

    [Fact]
    public async Task A_repeated_prefix_skips_its_prefill()
    {
        var engine = Engine();
        var tokens = SimulatedReply.CountPromptTokens(LongPrompt);

        using var cold = await engine.ReserveAsync(LongPrompt, tokens, tokens + 10, CancellationToken.None);
        cold.Dispose();
        using var warm = await engine.ReserveAsync(LongPrompt, tokens, tokens + 10, CancellationToken.None);

        Assert.Equal(0, cold.CachedTokens);
        Assert.Equal(TimeSpan.FromMilliseconds(10 + tokens), cold.TimeToFirstToken);
        Assert.Equal(tokens / PrefixCache.BlockTokens * PrefixCache.BlockTokens, warm.CachedTokens);
        Assert.Equal(TimeSpan.FromMilliseconds(10 + tokens - warm.CachedTokens), warm.TimeToFirstToken);
        Assert.Equal((double)warm.CachedTokens / (2 * tokens), engine.Stats().PrefixCacheHitRate, 3);
    }

    [Fact]
    public async Task A_different_prefix_is_not_a_hit_and_caching_can_be_off()
    {
        var engine = Engine();
        (string, string)[] other = [("system", "something else entirely " + LongPrompt[0].Item2), ("user", "What now?")];
        (await engine.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None)).Dispose();

        using var miss = await engine.ReserveAsync(other, 130, 140, CancellationToken.None);
        Assert.Equal(0, miss.CachedTokens);

        var uncached = Engine(o => o.PrefixCaching = false);
        (await uncached.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None)).Dispose();
        using var again = await uncached.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None);
        Assert.Equal(0, again.CachedTokens);
    }

    [Fact]
    public async Task Prompts_of_different_cache_salts_share_no_cached_prefix_and_one_salt_shares_it()
    {
        var engine = Engine();
        (await engine.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None, "salt-a")).Dispose();

        using var otherSalt = await engine.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None, "salt-b");
        using var unsalted = await engine.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None);
        using var sameSalt = await engine.ReserveAsync(LongPrompt, 130, 140, CancellationToken.None, "salt-a");

        Assert.Equal(0, otherSalt.CachedTokens);
        Assert.Equal(0, unsalted.CachedTokens);
        Assert.Equal(128, sameSalt.CachedTokens);
    }

    [Fact]
    public async Task Time_to_first_token_and_inter_token_latency_grow_with_load()
    {
        var engine = Engine(o => { o.PrefillPerToken = TimeSpan.Zero; o.LoadPenaltyPerRequest = TimeSpan.FromMilliseconds(5); });
        (string, string)[] prompt = [("user", "hi")];

        using var first = await engine.ReserveAsync(prompt, 5, 10, CancellationToken.None);
        using var second = await engine.ReserveAsync(prompt, 5, 10, CancellationToken.None);
        using var third = await engine.ReserveAsync(prompt, 5, 10, CancellationToken.None);

        Assert.Equal([10, 15, 20], new[] { first, second, third }.Select(a => a.TimeToFirstToken.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(12), third.InterTokenLatency);
    }

    [Fact]
    public async Task Requests_wait_while_the_kv_cache_is_full()
    {
        var engine = Engine(o => o.KvCacheTokens = 100);
        (string, string)[] prompt = [("user", "hi")];
        var first = await engine.ReserveAsync(prompt, 5, 60, CancellationToken.None);

        var second = engine.ReserveAsync(prompt, 5, 60, CancellationToken.None);
        await Eventually.TrueAsync(() => engine.Waiting == 1, TimeSpan.FromSeconds(10), "the second request to wait for KV room");
        Assert.False(second.IsCompleted);
        Assert.Equal(60, engine.Stats().KvCacheTokensInUse);

        first.Dispose();
        using var admitted = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((0, 1), (engine.Waiting, engine.Running));
        Assert.False(engine.Fits(101));
    }

    [Fact]
    public async Task A_slow_fault_multiplies_latency()
    {
        var engine = Engine(o => o.PrefillPerToken = TimeSpan.Zero);
        engine.Faults = new SimulatorFaults { SlowFactor = 3 };

        using var slow = await engine.ReserveAsync([("user", "hi")], 5, 10, CancellationToken.None);

        Assert.Equal((TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(6)), (slow.TimeToFirstToken, slow.InterTokenLatency));
    }

    private const string Key = "sim-faults-key-0123456789";

    [Fact]
    public async Task Over_http_faults_refuse_drop_mid_stream_and_are_validated()
    {
        await using var server = await InferenceSimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(1), InterTokenLatency = TimeSpan.Zero, TokensPerReply = 10, KvCacheTokens = 200, ApiKey = Key,
        });
        using var http = new HttpClient { BaseAddress = server.Address };
        // /sim changes how the server behaves: it answers only to the key.
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        var client = new ModelClient("sim", SimulatorOptions.DefaultModelId, server.BaseUrl, Key, TimeSpan.FromSeconds(10), true,
            OpenAiCompatibleClientFactory.Create(server.BaseUrl, SimulatorOptions.DefaultModelId, Key, TimeSpan.FromSeconds(10)));
        var invoker = new ChatModelInvoker(new EndpointCatalog(Microsoft.Extensions.Options.Options.Create(new InferenceOptions { UseSimulator = false })), NullLogger<ChatModelInvoker>.Instance);

        async Task<string> AskAsync(string text)
        {
            var reply = new System.Text.StringBuilder();
            await foreach (var update in invoker.StreamAsync(client, [new ChatMessage(ChatRole.User, text)], new ModelParameters(), CancellationToken.None))
            {
                reply.Append(update.Delta);
            }

            return reply.ToString();
        }

        (await http.PutAsJsonAsync("/sim/faults", new { refuse = true })).EnsureSuccessStatusCode();
        var refused = await Assert.ThrowsAsync<AgentGridException>(() => AskAsync("hello"));
        Assert.Equal(ErrorCodes.ModelUnavailable, refused.Code);
        Assert.Contains("503", refused.Message);

        (await http.PutAsJsonAsync("/sim/faults", new { dropAfterTokens = 3 })).EnsureSuccessStatusCode();
        var dropped = await Assert.ThrowsAsync<AgentGridException>(() => AskAsync("hello"));
        Assert.Equal(ErrorCodes.ModelUnavailable, dropped.Code);

        var invalid = await http.PutAsJsonAsync("/sim/faults", new { slowFactor = 0.5 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        (await http.PutAsJsonAsync("/sim/faults", new { })).EnsureSuccessStatusCode();
        Assert.NotEmpty(await AskAsync("hello"));
        var tooLong = await Assert.ThrowsAsync<AgentGridException>(() => AskAsync(string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}"))));
        Assert.Equal(ErrorCodes.ModelRejected, tooLong.Code);

        var stats = JsonNode.Parse(await http.GetStringAsync("/sim/stats"))!;
        Assert.Equal((1, 1), (stats["refused"]!.GetValue<int>(), stats["dropped"]!.GetValue<int>()));
    }
}
