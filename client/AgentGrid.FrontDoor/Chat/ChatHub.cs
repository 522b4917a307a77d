using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Events;
using Microsoft.AspNetCore.SignalR;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>
/// <c>/hubs/chat</c>: send messages and follow sessions in real time. Thin: the turn runs in the
/// session grain, and events reach the client through <see cref="SessionEventFeed"/>.
/// </summary>
public sealed class ChatHub(IGrainFactory grains, SessionEventFeed feed) : Hub
{
    /// <summary>Runs one turn; the reply streams to every <see cref="StreamSession"/> of the session. A dropped connection cancels it.</summary>
    public Task<ChatTurn> SendMessage(string sessionId, string content) =>
        Session(sessionId).SendMessageAsync(content, null, Context.ConnectionAborted);

    /// <summary>Every event with a sequence above <paramref name="afterSequence"/> (0: from the start), then live ones.</summary>
    public IAsyncEnumerable<SessionEvent> StreamSession(string sessionId, long afterSequence, CancellationToken cancellationToken)
    {
        if (afterSequence < 0)
        {
            throw new HubException($"{ErrorCodes.ValidationFailed}: afterSequence must not be negative.");
        }

        Session(sessionId);
        return AgentGridHubFilter.TranslateErrors(
            feed.ReadAsync(GrainKeys.For(GridNames.DefaultTenant, sessionId), afterSequence, cancellationToken), cancellationToken);
    }

    /// <summary>Stops the session's reply in progress; true if there was one.</summary>
    public Task<bool> CancelTurn(string sessionId) => Session(sessionId).CancelTurnAsync();

    private ISessionGrain Session(string sessionId) => GrainKeys.IsValidId(sessionId)
        ? grains.GetGrain<ISessionGrain>(GrainKeys.For(GridNames.DefaultTenant, sessionId))
        : throw new HubException($"{ErrorCodes.SessionNotFound}: Session '{sessionId}' does not exist.");
}
