using System.Runtime.CompilerServices;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Events;

/// <summary>Opens <see cref="SessionSubscription"/>s on session streams; the one bridge from grains to SSE and SignalR.</summary>
public sealed class SessionEventFeed(IClusterClient client, SessionEventRelay relay, IOptions<SessionEventFeedOptions> options, ILogger<SessionEventFeed> logger)
{
    public SessionEventFeedOptions Options => options.Value;

    public Task<SessionSubscription> SubscribeAsync(string sessionKey, long after) =>
        SessionSubscription.OpenAsync(relay, sessionKey, client.GetGrain<ISessionGrain>(sessionKey), after, options.Value.SubscriberBuffer, options.Value.QuietCheck, logger);

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
