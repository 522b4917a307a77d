using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Workers;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;

namespace AgentGrid.Inference.Calls;

/// <summary>
/// The one way the grid calls a model, in a silo or a front door. A configured endpoint is called directly; a profile goes through its
/// worker pool: lease a worker, stream from its server through the same provider code, give the lease back
/// with the measured TTFT and inter-token latency. A worker that cannot be reached before the first token
/// is reported and the request goes to another worker once. A <c>whole</c> call to an endpoint asks it for the reply
/// in one piece (no stream), for callers that wait for the end anyway; a worker is always streamed from.
/// </summary>
public sealed class ModelRouter(EndpointCatalog catalog, ChatModelInvoker invoker, EndpointClients endpoints, IGrainFactory grains)
{
    public async IAsyncEnumerable<ModelUpdate> StreamAsync(
        string model, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, string affinityKey,
        [EnumeratorCancellation] CancellationToken cancellationToken, bool whole = false, string? tenant = null)
    {
        var start = Stopwatch.GetTimestamp();
        var first = true;
        var tags = new KeyValuePair<string, object?>("model", model);
        using var span = GridMetrics.Traces.StartActivity("model.call", ActivityKind.Client);
        span?.SetTag("agentgrid.model", model);
        // Only an endpoint answers in one piece; a worker streams, and its first token is timed as always.
        var inOnePiece = whole && catalog.Contains(model);
        await foreach (var update in RouteAsync(model, messages, parameters, tools, affinityKey, tenant, inOnePiece, cancellationToken))
        {
            // In one piece, the first token reaches the caller with the last: the whole call's time is its TTFT.
            if (first && !string.IsNullOrEmpty(update.Delta))
            {
                first = false;
                GridMetrics.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, tags);
            }

            if (update.InputTokens is { } input)
            {
                GridMetrics.InputTokens.Add(input, tags);
            }

            if (update.OutputTokens is { } output)
            {
                GridMetrics.OutputTokens.Add(output, tags);
            }

            yield return update;
        }
    }

    private async IAsyncEnumerable<ModelUpdate> RouteAsync(
        string model, IList<ChatMessage> messages, ModelParameters parameters, ModelTools? tools, string affinityKey, string? tenant, bool whole,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (catalog.Contains(model))
        {
            var needs = tools is { Tools.Count: > 0 } ? NeedsTools : NeedsText;
            if (catalog.CapabilitiesOf(model) is { } capabilities && needs.FirstOrDefault(n => !capabilities.Contains(n)) is { } missing)
            {
                throw new AgentGridException(ErrorCodes.CapabilityMissing,
                    $"Model '{model}' cannot serve this request: it needs '{missing}', and the model's configured capabilities are {string.Join(", ", capabilities)}.", "model");
            }

            var direct = whole ? invoker.WholeAsync(model, messages, parameters, tools, cancellationToken) : invoker.StreamAsync(model, messages, parameters, tools, cancellationToken);
            await foreach (var update in direct)
            {
                yield return update;
            }

            yield break;
        }

        var pool = grains.GetGrain<IWorkerPoolGrain>(model);
        var excluded = new List<string>();
        while (true)
        {
            var lease = await pool.AcquireAsync(new RouteRequest(
                RouteKeys.Affinity(tenant, affinityKey), excluded, RouteKeys.Prefix(tenant, messages), tools is { Tools.Count: > 0 } ? NeedsTools : NeedsText));
            var client = endpoints.Get(model, lease.Endpoint, lease.ServedModel, lease.ApiKey?.Value);
            var outcome = new LeaseOutcome(false, false, null, null);
            var start = Stopwatch.GetTimestamp();
            double? ttft = null;
            var tokens = 0;
            var retry = false;
            // A worker's reply is always streamed, whole or not: its pool learns TTFT and inter-token latency from it.
            // The profile's default sampling, where the caller set none.
            var sampled = parameters with { Temperature = parameters.Temperature ?? lease.DefaultTemperature, TopP = parameters.TopP ?? lease.DefaultTopP };
            var salt = tenant is not null && CacheSalts.TakenBy(lease.Runtime) ? CacheSalts.For(tenant) : null;
            var updates = invoker.StreamAsync(client, messages, sampled, tools, cancellationToken, salt).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    ModelUpdate update;
                    try
                    {
                        if (!await updates.MoveNextAsync())
                        {
                            break;
                        }

                        update = updates.Current;
                    }
                    catch (AgentGridException e) when (e.Code == ErrorCodes.ModelUnavailable)
                    {
                        outcome = outcome with { Unreachable = true };
                        if (ttft is null && excluded.Count == 0)
                        {
                            // Nothing reached the caller yet: the same request can go to another worker.
                            excluded.Add(lease.WorkerId);
                            retry = true;
                            break;
                        }

                        throw;
                    }

                    if (!string.IsNullOrEmpty(update.Delta) || update.ToolCalls is not null)
                    {
                        ttft ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        tokens++;
                    }

                    yield return update;
                }

                if (!retry)
                {
                    var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    outcome = outcome with { Succeeded = true, TtftMs = ttft, ItlMs = tokens > 1 && ttft is { } first ? (total - first) / (tokens - 1) : null };
                }
            }
            finally
            {
                try
                {
                    await updates.DisposeAsync();
                }
                finally
                {
                    await pool.ReleaseAsync(lease.LeaseId, outcome);
                }
            }

            if (!retry)
            {
                yield break;
            }
        }
    }

    private static readonly IReadOnlyList<string> NeedsText = ["text"];
    private static readonly IReadOnlyList<string> NeedsTools = ["text", "tools"];
}
