using System.ClientModel;
using System.Collections.Concurrent;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.Contracts.Workers;
using AgentGrid.Embeddings;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Embeddings;

/// <summary>
/// Embeddings from an embedding profile's workers: a lease from its pool (as for chat, so its workers start, scale and drain the same
/// way), the server's OpenAI <c>/embeddings</c> with the worker's key, the lease given back with how it went.
/// </summary>
public sealed class WorkerEmbeddings(IGrainFactory grains)
{
    private static readonly IReadOnlyList<string> Needs = [ModelCapabilities.Embeddings];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<(string Endpoint, string Model, string? Key), IEmbeddingGenerator<string, Embedding<float>>> _clients = new();

    public async Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(string profile, IReadOnlyList<string> inputs, string affinityKey)
    {
        var pool = grains.GetGrain<IWorkerPoolGrain>(profile);
        var lease = await pool.AcquireAsync(new RouteRequest(affinityKey, [], null, Needs));
        var outcome = new LeaseOutcome(false, false, null, null);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var result = await Client(lease).GenerateAsync(inputs);
            outcome = outcome with { Succeeded = true, TtftMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds };
            return result;
        }
        catch (ClientResultException e) when (e.Status is >= 400 and < 500 and not 408 and not 429)
        {
            throw new AgentGridException(ErrorCodes.ModelRejected, $"The embedding model's server refused the request (HTTP {e.Status}).");
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or TaskCanceledException)
        {
            outcome = outcome with { Unreachable = e is HttpRequestException or ClientResultException { Status: 0 } };
            throw new AgentGridException(ErrorCodes.ModelUnavailable, $"The worker {lease.WorkerId} of '{profile}' did not answer; try again.") { RetryAfterSeconds = 5 };
        }
        finally
        {
            await pool.ReleaseAsync(lease.LeaseId, outcome);
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> Client(WorkerLease lease)
    {
        // Each server start has a new port and key: generators of servers long gone are let go.
        if (_clients.Count > 256)
        {
            _clients.Clear();
        }

        return _clients.GetOrAdd((lease.Endpoint, lease.ServedModel, lease.ApiKey?.Value),
            key => EmbeddingModelCatalog.Generator(new Uri(key.Endpoint), key.Model, key.Key, Timeout));
    }
}
