using System.Net;
using System.Text.Json.Nodes;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGrid.Tests.Identity;

/// <summary>
/// Refusing a credential costs the grid nothing: malformed keys are never hashed or looked up, and an address that
/// keeps failing is throttled without lookups, while keys known to be valid still get in from it.
/// </summary>
public sealed class AuthenticationCostTests(ThrottlingGridFixture fixture) : IClassFixture<ThrottlingGridFixture>
{
    private const int Limit = ThrottlingGridFixture.FailureLimit;
    private readonly HttpClient _http = fixture.Grid.Client(null);

    private AuthMetrics Metrics => fixture.Grid.Services.GetRequiredService<AuthMetrics>();

    [Fact]
    public async Task Ten_thousand_malformed_keys_cost_no_lookup_and_throttle_their_address_but_a_known_key_still_gets_in()
    {
        const string client = "198.51.100.10";
        (await SendAsync(fixture.Grid.AdminKey, client)).EnsureSuccessStatusCode();
        var (lookups, hits, activations) = (Metrics.CacheMisses, Metrics.CacheHits, await ApiKeyActivationsAsync());
        var malformed = MalformedKeys(10_000);
        Assert.DoesNotContain(malformed, KeyShape.IsWellFormed);

        var answers = new List<(int Status, string? Code, TimeSpan? RetryAfter)>();
        foreach (var key in malformed)
        {
            using var response = await SendAsync(key, client);
            answers.Add(((int)response.StatusCode, Code(await response.Content.ReadAsStringAsync()), response.Headers.RetryAfter?.Delta));
        }

        Assert.All(answers.Take(Limit), a => Assert.Equal((401, "unauthenticated"), (a.Status, a.Code)));
        Assert.All(answers.Skip(Limit), a => Assert.Equal((429, "rate_limited", ThrottlingGridFixture.FailureWindow), a));
        Assert.Equal(lookups, Metrics.CacheMisses);
        Assert.True(await ApiKeyActivationsAsync() <= activations, "no ApiKeyGrain was activated");

        var known = await SendAsync(fixture.Grid.AdminKey, client);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.True(Metrics.CacheHits > hits, "the admin key was answered from the cache");
        Assert.Equal(lookups, Metrics.CacheMisses);
    }

    [Fact]
    public async Task A_valid_key_not_yet_seen_here_waits_out_a_throttled_address_like_a_guess_and_gets_in_once_known()
    {
        const string client = "198.51.100.20";
        var fresh = await fixture.Grid.Http.CreateKeyAsync("reader");
        await ThrottleAsync(client);
        var lookups = Metrics.CacheMisses;

        await (await SendAsync(KeyHasher.NewKey(), client)).ProblemAsync(429, "rate_limited");
        await (await SendAsync(fresh, client)).ProblemAsync(429, "rate_limited");
        Assert.Equal(lookups, Metrics.CacheMisses);

        (await SendAsync(fresh, "198.51.100.21")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(fresh, client)).StatusCode);
    }

    [Fact]
    public async Task Failures_count_per_client_address_as_the_known_proxy_forwards_it()
    {
        const string client = "198.51.100.30";
        await ThrottleAsync(client);

        var throttled = await SendAsync("not-a-key", client);
        await throttled.ProblemAsync(429, "rate_limited");
        Assert.Equal(ThrottlingGridFixture.FailureWindow, throttled.Headers.RetryAfter?.Delta);
        var openAi = JsonNode.Parse(await (await SendAsync("not-a-key", client, "/v1/models")).Content.ReadAsStringAsync())!;
        Assert.Equal(("rate_limited", "rate_limit_error"), (openAi["error"]!["code"]!.GetValue<string>(), openAi["error"]!["type"]!.GetValue<string>()));

        await (await SendAsync("not-a-key", "198.51.100.31")).ProblemAsync(401, "unauthenticated");
        await (await SendAsync("not-a-key", client: null)).ProblemAsync(401, "unauthenticated");
    }

    private async Task ThrottleAsync(string client)
    {
        for (var i = 0; i < Limit; i++)
        {
            await (await SendAsync("not-a-key", client)).ProblemAsync(401, "unauthenticated");
        }
    }

    private Task<HttpResponseMessage> SendAsync(string key, string? client, string path = "/api/me")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        if (client is not null)
        {
            request.Headers.Add("X-Forwarded-For", client);
        }

        return _http.SendAsync(request);
    }

    private async Task<int> ApiKeyActivationsAsync()
    {
        var statistics = await fixture.Grid.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var activations = statistics.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Assert.True(activations > 0, "the admin key's grain is counted");
        return activations;
    }

    /// <summary>Random strings, and near misses: too short, too long, standard base64 after the prefix, the prefix in capitals.</summary>
    private static List<string> MalformedKeys(int count)
    {
        var random = new Random(22);
        const string printable = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
        const string urlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        string Of(string alphabet, int length) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        return [.. Enumerable.Range(0, count).Select(i => (i % 5) switch
        {
            0 => Of(printable, random.Next(1, 600)),
            1 => "agk_" + Of(urlSafe, random.Next(0, KeyShape.MinBodyLength)),
            2 => "agk_" + Of(urlSafe, random.Next(KeyShape.MaxBodyLength + 1, 600)),
            3 => "agk_" + Convert.ToBase64String(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 32)),
            _ => "AGK_" + Of(urlSafe, 43),
        })];
    }

    private static string? Code(string body) =>
        JsonNode.Parse(body) is JsonObject problem ? (string?)(problem["code"] ?? problem["error"]?["code"]) : null;
}
