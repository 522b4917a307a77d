using AgentGrid.Contracts;
using AgentGrid.Contracts.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.FrontDoor.Events;

/// <summary>Opens <see cref="SessionSubscription"/>s on session streams; the one bridge from grains to SSE and SignalR.</summary>
public sealed class SessionEventFeed(IClusterClient client, SessionEventRelay relay, IOptions<SessionEventFeedOptions> options, ILogger<SessionEventFeed> logger)
{
    public SessionEventFeedOptions Options => options.Value;

    /// <summary>Follows the session at once (before the caller tells its client the stream is open), then reads from <paramref name="after"/>.</summary>
    public Task<SessionSubscription> SubscribeAsync(string sessionKey, long after) =>
        SessionSubscription.OpenAsync(relay, sessionKey, client.GetGrain<ISessionGrain>(sessionKey), after, options.Value.SubscriberBuffer, options.Value.QuietCheck, logger);
}
