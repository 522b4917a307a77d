namespace AgentGrid.Contracts.Completions;

/// <summary>
/// Runs one stateless completion (no session) next to the models, keyed by a fresh id per request:
/// an enumeration's follow-up calls must reach the activation that holds it, which rules out a
/// stateless worker. The activation goes away when the enumeration ends. Disposing the enumeration
/// stops the backend request.
/// </summary>
[Alias("agentgrid.IChatCompletionGrain")]
public interface IChatCompletionGrain : IGrainWithGuidKey
{
    [Alias("stream")] IAsyncEnumerable<CompletionChunk> StreamAsync(CompletionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the completion now, even while it waits for its first token: a pending step of an
    /// enumeration is not interrupted by the caller's cancellation alone.
    /// </summary>
    [Alias("cancel")] [Orleans.Concurrency.AlwaysInterleave] Task CancelAsync();
}

/// <summary>
/// Runs one stateless completion to its end and returns it whole (text, tool calls, finish reason, usage): the
/// non-streaming path. A stateless worker, so requests reuse the silo's local activations instead of creating one each.
/// </summary>
[Alias("agentgrid.ICompletionWorkerGrain")]
public interface ICompletionWorkerGrain : IGrainWithIntegerKey
{
    [Alias("complete")] Task<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken = default);
}
