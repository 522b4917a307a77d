using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Usage;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// The one way the grid calls a model for a caller (in a silo or a front door): bounds the prompt and the output, reserves the worst case against
/// the key's and the tenant's limits and budgets before the model is called (<see cref="ReserveAsync"/>), then settles
/// the real usage and records it in the usage ledger, however the call ends.
/// </summary>
public sealed class ModelMeter(
    ModelRouter models, IGrainFactory grains, IOptions<InferenceOptions> inference, ModelPrices prices, TimeProvider time,
    ILogger<ModelMeter> logger, MeteringSwitch metering, UsageRecorder ledger)
{
    /// <summary>
    /// How long a process remembers that a key or tenant has neither limits nor a budget, and calls it no more: such a
    /// quota has nothing to count. Limits set on it apply to calls this process starts after at most this time.
    /// </summary>
    public static readonly TimeSpan UnlimitedMemory = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _unlimitedUntil = new(StringComparer.Ordinal);

    /// <summary>
    /// Admits one call, or throws <c>rate_limited</c>, <c>budget_exceeded</c> or <c>prompt_too_large</c> before
    /// anything else happens. Dispose it if the call is not made after all.
    /// </summary>
    public async Task<ReservedModelCall> ReserveAsync(MeteredCall call, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools = null)
    {
        var promptBound = PromptTokenBound(messages) + (tools is null ? 0 : tools.Tools.Sum(t => t.Name.Length + (t.Description?.Length ?? 0) + t.Parameters.Length));
        var limit = inference.Value.MaxOutputTokensOf(call.Model);
        var maxOutput = Math.Min(parameters.MaxTokens ?? limit, limit);
        var (price, leases) = await ReserveQuotaAsync(call, promptBound, maxOutput);
        return new ReservedModelCall(this, call, messages, parameters with { MaxTokens = maxOutput }, tools, price, leases);
    }

    /// <summary>Admits and makes one call.</summary>
    public async IAsyncEnumerable<ModelUpdate> StreamAsync(
        MeteredCall call, IList<ChatMessage> messages, ModelParameters parameters, string affinityKey,
        [EnumeratorCancellation] CancellationToken cancellationToken, ModelTools? tools = null, bool whole = false)
    {
        await using var reserved = await ReserveAsync(call, messages, parameters, tools);
        await foreach (var update in reserved.StreamAsync(affinityKey, cancellationToken, whole))
        {
            yield return update;
        }
    }

    /// <summary>
    /// Meters a call whose whole cost is known before it runs (an embedding: its input tokens): reserves it, runs it,
    /// settles and records it. A call that fails is recorded as costing nothing.
    /// </summary>
    public async Task<T> MeterAsync<T>(MeteredCall call, long inputTokens, Func<Task<T>> run)
    {
        var (price, leases) = await ReserveQuotaAsync(call, inputTokens, 0);
        var started = Stopwatch.GetTimestamp();
        var done = false;
        try
        {
            var result = await run();
            done = true;
            return result;
        }
        finally
        {
            await FinishAsync(call, price, leases, new CallUsage(done ? inputTokens : 0, 0, 0, null), started);
        }
    }

    /// <summary>
    /// An upper bound of the prompt's tokens: a byte-level tokenizer never makes more tokens than UTF-8 bytes, plus
    /// the few tokens that frame each message.
    /// </summary>
    public static long PromptTokenBound(IList<ChatMessage> messages)
    {
        long bytes = 0;
        foreach (var message in messages)
        {
            bytes += Encoding.UTF8.GetByteCount(PromptText.Of(message)) + 8;
        }

        if (bytes > Limits.MaxPromptBytes)
        {
            throw new AgentGridException(ErrorCodes.PromptTooLarge,
                $"The prompt sent to the model would be {bytes} bytes; the most is {Limits.MaxPromptBytes}.");
        }

        return bytes;
    }

    internal IAsyncEnumerable<ModelUpdate> RouteAsync(
        MeteredCall call, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, string affinityKey, bool whole, CancellationToken cancellationToken) =>
        models.StreamAsync(call.Model, messages, parameters, tools, affinityKey, cancellationToken, whole, call.Caller.Tenant);

    /// <summary>Reserves on the key's and the tenant's quota at once; if either refuses, the other's lease is given back.</summary>
    private async Task<List<(IQuotaGrain Quota, Guid Lease)>> AcquireAsync(Caller caller, QuotaReservation reservation)
    {
        var now = time.GetUtcNow();
        var keys = QuotaKeysOf(caller).Where(key => !(_unlimitedUntil.TryGetValue(key, out var until) && until > now)).ToList();
        var quotas = keys.Select(key => grains.GetGrain<IQuotaGrain>(key)).ToList();
        var attempts = quotas.Select(q => q.AcquireAsync(reservation)).ToList();
        try
        {
            await Task.WhenAll(attempts);
        }
        catch
        {
            var admitted = quotas.Zip(attempts).Where(a => a.Second.IsCompletedSuccessfully && !a.Second.Result.Unlimited).Select(a => (a.First, a.Second.Result.Id)).ToList();
            await SettleAsync(admitted, new QuotaUsage(0, 0));
            // The refusal itself (rate_limited, budget_exceeded), not an AggregateException.
            throw attempts.First(a => a.IsFaulted).Exception!.InnerException!;
        }

        var leases = new List<(IQuotaGrain, Guid)>(quotas.Count);
        for (var i = 0; i < quotas.Count; i++)
        {
            if (attempts[i].Result.Unlimited)
            {
                if (_unlimitedUntil.Count > 100_000)
                {
                    _unlimitedUntil.Clear();
                }

                _unlimitedUntil[keys[i]] = now + UnlimitedMemory;
            }
            else
            {
                leases.Add((quotas[i], attempts[i].Result.Id));
            }
        }

        return leases;
    }

    private static IEnumerable<string> QuotaKeysOf(Caller caller)
    {
        if (caller.KeyId is { } keyId)
        {
            yield return QuotaKeys.ForKey(keyId);
        }

        yield return QuotaKeys.ForTenant(caller.Tenant);
    }

    internal Task SettleAsync(List<(IQuotaGrain Quota, Guid Lease)> leases, QuotaUsage usage) =>
        Task.WhenAll(leases.Select(async l =>
        {
            try
            {
                await l.Quota.SettleAsync(l.Lease, usage);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Usage of lease {LeaseId} could not be settled", l.Lease);
            }
        }));

    /// <summary>The model's price, and the key's and tenant's reservations of the call's worst case.</summary>
    private async Task<(ModelPrice Price, List<(IQuotaGrain Quota, Guid Lease)> Leases)> ReserveQuotaAsync(MeteredCall call, long inputTokens, long outputTokens)
    {
        if (!metering.Enabled)
        {
            return (new ModelPrice(), []);
        }

        var found = await prices.FindAsync(call.Model);
        var price = found ?? new ModelPrice();
        var reservation = new QuotaReservation(inputTokens + outputTokens, price.Cost(inputTokens, outputTokens), Priced: found is not null);
        return (price, await AcquireAsync(call.Caller, reservation));
    }

    /// <summary>Settles what a call really used and records it in the ledger: the one end of every metered call.</summary>
    internal async Task FinishAsync(MeteredCall call, ModelPrice price, List<(IQuotaGrain Quota, Guid Lease)> leases, CallUsage used, long started)
    {
        var usage = new QuotaUsage(used.InputTokens + used.OutputTokens, price.Cost(used.InputTokens, used.OutputTokens));
        await Task.WhenAll(SettleAsync(leases, usage), RecordAsync(new UsageRecord
        {
            Tenant = call.Caller.Tenant,
            KeyId = call.Caller.KeyId,
            AgentId = call.AgentId,
            Model = call.Model,
            Source = call.Source,
            InputTokens = used.InputTokens,
            OutputTokens = used.OutputTokens,
            CachedTokens = used.CachedTokens,
            CostUsd = usage.CostUsd,
            TimeToFirstTokenMs = used.TimeToFirstTokenMs,
            TotalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            At = time.GetUtcNow(),
        }));
    }

    private async Task RecordAsync(UsageRecord record)
    {
        if (!metering.Enabled)
        {
            return;
        }

        // The recorder logs what it could not record; the call's own outcome stands.
        await ledger.RecordAsync(record);
    }
}

/// <summary>What one call used, as the backend reported it (or as estimated when it was cut short).</summary>
internal readonly record struct CallUsage(long InputTokens, long OutputTokens, long CachedTokens, double? TimeToFirstTokenMs);

/// <summary>Who a metered model call is for and what it is: the ledger's dimensions.</summary>
public sealed record MeteredCall(Caller Caller, string Model, string? AgentId, string Source)
{
    public const string Session = "session";
    public const string Completion = "completion";
    public const string Embedding = "embedding";
    public const string Summary = "summary";
    public const string Memory = "memory";
}
