using Orleans.Concurrency;

namespace AgentGrid.Contracts.Sessions;

/// <summary>
/// One conversation, keyed <c>{tenant}/{sessionId}</c>. Sends are handled one at a time in arrival
/// order: a grain turn covers the whole exchange, so replies never interleave. Every step is
/// published as a <see cref="SessionEvent"/> on the session's stream.
/// </summary>
[Alias("agentgrid.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the session on an agent; every placeholder of its system prompt needs a value. <paramref name="owner"/> is
    /// whose it is inside the tenant (the opening key's owner); <paramref name="user"/> the end user the agent's long-term
    /// memory files it under, within the owner's memories (the owner when the caller names none).
    /// </summary>
    [Alias("open")] Task<Session> OpenAsync(string agentId, IReadOnlyDictionary<string, string> variables, string? user = null, string? owner = null);

    /// <summary>Answers during an in-flight send too, with what is stored so far.</summary>
    [Alias("get")] [AlwaysInterleave] Task<Session> GetAsync();

    /// <summary>
    /// A page of the history, oldest first: the last <paramref name="limit"/> messages (at most
    /// <see cref="Limits.MaxHistoryPage"/>) whose index is below <paramref name="before"/>, or the latest ones.
    /// </summary>
    [Alias("messages")] [AlwaysInterleave] Task<IReadOnlyList<SessionMessage>> GetMessagesAsync(long? before = null, int limit = 100);

    /// <summary>
    /// Stores the user message durably, streams the agent's reply as events and stores it.
    /// If the model fails, the user message stays in the history, <c>turn.failed</c> is published
    /// and the error is thrown. <paramref name="messageId"/>, when given, becomes the user message's
    /// id, so a caller can follow its own turn on the stream before the call returns. <paramref name="keyId"/> is the
    /// API key the caller authenticated with: its limits and budget apply, and the ledger records the call under it.
    /// </summary>
    [Alias("send")] Task<ChatTurn> SendMessageAsync(string content, string? messageId = null, string? keyId = null, CancellationToken cancellationToken = default);

    /// <summary>Every retained event with a sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    [Alias("events")] [AlwaysInterleave] Task<IReadOnlyList<SessionEvent>> GetEventsAsync(long afterSequence);

    /// <summary>
    /// Stops the turn in progress, if any, or only the turn of <paramref name="turnId"/> (the user
    /// message's id) when given; its backend request is cancelled. True if a turn was stopped.
    /// </summary>
    [Alias("cancel")] [AlwaysInterleave] Task<bool> CancelTurnAsync(string? turnId = null);

    /// <summary>
    /// Approves or denies a tool call the turn waits on. An approved call runs with exactly the arguments it was requested
    /// with; a denied one is logged and the model is told. Once no call of the turn waits, the turn goes on and this
    /// returns its outcome (the reply, or the next calls that wait). <c>approval_not_found</c> when nothing waits under
    /// <paramref name="callId"/>; <c>approval_mismatch</c> when <see cref="Tools.ApprovalDecision.Arguments"/> differ.
    /// </summary>
    [Alias("approve")] Task<ChatTurn> DecideApprovalAsync(string callId, Tools.ApprovalDecision decision, string? keyId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes every event published from now on to <paramref name="observer"/>, for <see cref="WatchLease"/>; a follower
    /// renews it by calling again. Unknown sessions answer <c>session_not_found</c>.
    /// </summary>
    [Alias("watch")] [AlwaysInterleave] Task WatchAsync(ISessionEventObserver observer);

    [Alias("unwatch")] [AlwaysInterleave] Task UnwatchAsync(ISessionEventObserver observer);

    /// <summary>How long a watch lasts unless renewed.</summary>
    public static readonly TimeSpan WatchLease = TimeSpan.FromSeconds(90);

    /// <summary>The tool calls of the recent history, oldest first, each with how it ended (or that it waits for approval).</summary>
    [Alias("tool-calls")] [AlwaysInterleave] Task<IReadOnlyList<SessionToolCall>> ToolCallsAsync();

    [Alias("delete")] Task DeleteAsync();
}
