using System.Runtime.CompilerServices;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Events;

/// <summary>Opens <see cref="SessionSubscription"/>s on session streams; the one bridge from grains to SSE and SignalR.</summary>
public sealed class SessionEventFeed(IClusterClient client, ILogger<SessionEventFeed> logger)
{
    /// <summary>How long a subscription waits on a quiet stream before reading back from the session, in case a publish was lost.</summary>
    public static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(10);

    public Task<SessionSubscription> SubscribeAsync(string sessionKey, long after)
    {
        var stream = client.GetStreamProvider(GridNames.StreamProvider)
            .GetStream<SessionEvent>(StreamId.Create(GridNames.SessionStreamNamespace, sessionKey));
        return SessionSubscription.OpenAsync(client.GetGrain<ISessionGrain>(sessionKey), stream, after, QuietCheck, logger);
    }

    /// <summary>Every event after <paramref name="after"/>, then live ones, until cancelled.</summary>
    public async IAsyncEnumerable<SessionEvent> ReadAsync(string sessionKey, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var subscription = await SubscribeAsync(sessionKey, after);
        await foreach (var e in subscription.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }
}
