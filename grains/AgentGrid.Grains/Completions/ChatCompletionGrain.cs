using AgentGrid.Contracts.Completions;

namespace AgentGrid.Grains.Completions;

public sealed class ChatCompletionGrain(ModelMeter models) : Grain, IChatCompletionGrain
{
    private readonly CancellationTokenSource _cancel = new();

    public Task CancelAsync()
    {
        _cancel.Cancel();
        return Task.CompletedTask;
    }

    // When the caller stops enumerating, the token is cancelled and the backend request with it, even before a first token.
    public async IAsyncEnumerable<CompletionChunk> StreamAsync(
        CompletionRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancel.Token);
        try
        {
            await foreach (var chunk in CompletionCall.StreamAsync(models, request, cancel.Token))
            {
                yield return chunk;
            }
        }
        finally
        {
            // One activation per request: it goes soon, but not at once. The caller's last MoveNext (which reads the
            // end of the enumeration) may still be on its way, and would find a fresh activation with no record of it.
            this.RegisterGrainTimer(() => { DeactivateOnIdle(); return Task.CompletedTask; },
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan));
        }
    }
}
