namespace AgentGrid.Contracts.Completions;

/// <summary>
/// Runs stateless completions (no session) next to the models. A stateless worker: calls spread
/// over activations and silos. Disposing the enumeration stops the backend request.
/// </summary>
[Alias("agentgrid.IChatCompletionGrain")]
public interface IChatCompletionGrain : IGrainWithIntegerKey
{
    [Alias("stream")] IAsyncEnumerable<CompletionChunk> StreamAsync(CompletionRequest request);
}
