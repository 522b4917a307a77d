using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Identity;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// A model call that its limits and budgets admitted, holding their reservations until it has run (or is disposed
/// unrun): then it settles what was really used and records it in the ledger, exactly once.
/// </summary>
public sealed class ReservedModelCall : IAsyncDisposable
{
    private readonly ModelMeter _meter;
    private readonly MeteredCall _call;
    private readonly IList<ChatMessage> _messages;
    private readonly ModelParameters _parameters;
    private readonly ModelTools? _tools;
    private readonly ModelPrice _price;
    private readonly List<(IQuotaGrain Quota, Guid Lease)> _leases;
    private bool _settled;

    internal ReservedModelCall(ModelMeter meter, MeteredCall call, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, ModelPrice price, List<(IQuotaGrain, Guid)> leases)
    {
        (_meter, _call, _messages, _parameters, _tools, _price, _leases) = (meter, call, messages, parameters, tools, price, leases);
    }

    /// <summary>Whose limits and budget the call counts against.</summary>
    public Contracts.Identity.Caller Caller => _call.Caller;

    /// <summary>Makes the call; a <paramref name="whole"/> one asks the backend for its reply in one piece (see <see cref="ModelRouter"/>).</summary>
    public async IAsyncEnumerable<ModelUpdate> StreamAsync(string affinityKey, [EnumeratorCancellation] CancellationToken cancellationToken, bool whole = false)
    {
        if (_settled)
        {
            throw new InvalidOperationException("A reserved call is made once.");
        }

        _settled = true;
        var started = Stopwatch.GetTimestamp();
        double? ttft = null;
        long? input = null, output = null, cached = null;
        var deltas = 0;
        long deltaBytes = 0;
        try
        {
            await foreach (var update in _meter.RouteAsync(_call, _messages, _parameters, _tools, affinityKey, whole, cancellationToken))
            {
                if (!string.IsNullOrEmpty(update.Delta) || update.ToolCalls is not null)
                {
                    ttft ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    deltas++;
                    if (whole)
                    {
                        deltaBytes += System.Text.Encoding.UTF8.GetByteCount(update.Delta ?? "");
                    }
                }

                input = update.InputTokens ?? input;
                output = update.OutputTokens ?? output;
                cached = update.CachedTokens ?? cached;
                yield return update;
            }
        }
        finally
        {
            // A call cut short reports no usage: its output is what streamed, and its input the prompt's estimate once
            // the model answered, or once the caller left (the backend may have read the prompt already). A call the
            // backend failed before its first token cost nothing.
            var inputTokens = input ?? (deltas > 0 || cancellationToken.IsCancellationRequested ? EstimateTokens(_messages) : 0);
            // Unreported output: a streamed reply's deltas are about one token each; a whole reply is one piece, so its size counts.
            var outputTokens = output ?? (whole ? Math.Max(deltas, (deltaBytes + 3) / 4) : deltas);
            await _meter.FinishAsync(_call, _price, _leases, new CallUsage(inputTokens, outputTokens, cached ?? 0, ttft), started);
        }
    }

    /// <summary>Gives the reservations back if the call was never made.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            _settled = true;
            await _meter.SettleAsync(_leases, new QuotaUsage(0, 0));
        }
    }

    // About four UTF-8 bytes a token (so about one token a character in CJK scripts), for calls cut short before the
    // backend reported usage.
    private static long EstimateTokens(IList<ChatMessage> messages) =>
        messages.Sum(m => (System.Text.Encoding.UTF8.GetByteCount(PromptText.Of(m)) + 3) / 4 + 3);
}
