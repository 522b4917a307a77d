using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.FrontDoor.Events;
using System.Runtime.CompilerServices;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.FrontDoor.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AgentGrid.FrontDoor.Chat;

/// <summary>
/// <c>/hubs/chat</c>: send messages and follow sessions in real time. Thin: the turn runs in the
/// session grain, and events reach the client through <see cref="SessionEventFeed"/>.
/// </summary>
[Authorize(Policy = Policies.Reader)]
public sealed class ChatHub(SessionAccess sessions, SessionEventFeed feed, StreamSlots slots, KeyLookup keys) : Hub
{
    public override Task OnConnectedAsync()
    {
        Context.Items[nameof(StreamSession)] = new StrongBox<int>();
        return base.OnConnectedAsync();
    }

    /// <summary>
    /// Runs one turn; the reply streams to every <see cref="StreamSession"/> of the session. The turn outlives this
    /// connection: a client that drops reconnects and follows the rest from its last sequence; only a stop cancels it.
    /// </summary>
    [Authorize(Policy = Policies.Member)]
    public async Task<ChatTurn> SendMessage(string sessionId, string content) =>
        await (await SessionAsync(sessionId)).SendMessageAsync(content, null, CallerClaims.KeyIdOf(Context.User), CancellationToken.None);

    /// <summary>
    /// Approves a tool call the session's turn waits on; <paramref name="arguments"/> are the JSON arguments shown, which must
    /// equal the call's. Returns the turn's outcome; its events stream to every <see cref="StreamSession"/>.
    /// </summary>
    [Authorize(Policy = Policies.Member)]
    public async Task<ChatTurn> ApproveToolCall(string sessionId, string callId, string? arguments) =>
        await (await SessionAsync(sessionId)).DecideApprovalAsync(callId, new Contracts.Tools.ApprovalDecision { Approved = true, Arguments = arguments },
            CallerClaims.KeyIdOf(Context.User), CancellationToken.None);

    /// <summary>Denies a tool call the session's turn waits on; the model is told (with <paramref name="reason"/>) and goes on.</summary>
    [Authorize(Policy = Policies.Member)]
    public async Task<ChatTurn> DenyToolCall(string sessionId, string callId, string? reason) =>
        await (await SessionAsync(sessionId)).DecideApprovalAsync(callId, new Contracts.Tools.ApprovalDecision { Approved = false, Reason = reason },
            CallerClaims.KeyIdOf(Context.User), CancellationToken.None);

    /// <summary>Streams one connection may have open at once; each holds a stream subscription.</summary>
    public const int MaxStreamsPerConnection = 16;

    /// <summary>
    /// Every event with a sequence above <paramref name="afterSequence"/> (0: from the oldest retained), then live ones. The
    /// session knows of this follower before the method returns, and a connection's invocations run in order, so a message
    /// sent after this call on the same connection is streamed to it token by token.
    /// </summary>
    public async Task<IAsyncEnumerable<SessionEvent>> StreamSession(string sessionId, long afterSequence, CancellationToken cancellationToken)
    {
        if (afterSequence < 0)
        {
            throw new HubException($"{ErrorCodes.ValidationFailed}: afterSequence must not be negative.");
        }

        await SessionAsync(sessionId);
        var open = (StrongBox<int>)Context.Items[nameof(StreamSession)]!;
        if (Interlocked.Increment(ref open.Value) > MaxStreamsPerConnection)
        {
            Interlocked.Decrement(ref open.Value);
            throw new HubException($"{ErrorCodes.TooManyStreams}: a connection may follow at most {MaxStreamsPerConnection} sessions at once.");
        }

        IDisposable slot;
        try
        {
            slot = slots.Take(CallerClaims.KeyIdOf(Context.User)!);
        }
        catch (AgentGridException e)
        {
            Interlocked.Decrement(ref open.Value);
            throw AgentGridHubFilter.ToHubException(e);
        }

        SessionSubscription subscription;
        try
        {
            subscription = await feed.SubscribeAsync(GrainKeys.For(CallerClaims.TenantOf(Context.User), sessionId), afterSequence);
        }
        catch
        {
            Interlocked.Decrement(ref open.Value);
            slot.Dispose();
            throw;
        }

        var events = subscription.ReadAllAsync(cancellationToken);
        return Counted(keys.WhileValidAsync(AgentGridHubFilter.TranslateErrors(events, cancellationToken), Context.User!, cancellationToken), open, slot, subscription);
    }

    /// <summary>Stops the session's reply in progress, whichever it is; true if there was one.</summary>
    [Authorize(Policy = Policies.Member)]
    public async Task<bool> CancelTurn(string sessionId) => await (await SessionAsync(sessionId)).CancelTurnAsync();

    /// <summary>Stops the reply to one message (its id is the <c>turnId</c> of its events); true if it was still running.</summary>
    [Authorize(Policy = Policies.Member)]
    public async Task<bool> StopReply(string sessionId, string turnId) => await (await SessionAsync(sessionId)).CancelTurnAsync(turnId);

    private static async IAsyncEnumerable<SessionEvent> Counted(IAsyncEnumerable<SessionEvent> events, StrongBox<int> open, IDisposable slot, SessionSubscription subscription)
    {
        try
        {
            await foreach (var e in events)
            {
                yield return e;
            }
        }
        finally
        {
            Interlocked.Decrement(ref open.Value);
            slot.Dispose();
            await subscription.DisposeAsync();
        }
    }

    private Task<ISessionGrain> SessionAsync(string sessionId) => sessions.OfAsync(Context.User!, sessionId);
}
