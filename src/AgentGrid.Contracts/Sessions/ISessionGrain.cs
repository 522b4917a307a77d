using Orleans.Concurrency;

namespace AgentGrid.Contracts.Sessions;

/// <summary>
/// One conversation, keyed <c>{tenant}/{sessionId}</c>. Sends are handled one at a time in arrival
/// order: a grain turn covers the whole exchange, so replies never interleave.
/// </summary>
[Alias("agentgrid.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Opens the session on an agent; every placeholder of its system prompt needs a value.</summary>
    [Alias("open")] Task<Session> OpenAsync(string agentId, IReadOnlyDictionary<string, string> variables);

    /// <summary>Answers during an in-flight send too, with what is stored so far.</summary>
    [Alias("get")] [AlwaysInterleave] Task<Session> GetAsync();

    /// <summary>The history, oldest first.</summary>
    [Alias("messages")] [AlwaysInterleave] Task<IReadOnlyList<SessionMessage>> GetMessagesAsync();

    /// <summary>
    /// Stores the user message durably, asks the agent's model for a reply and stores it.
    /// If the model fails, the user message stays in the history and the error is thrown.
    /// </summary>
    [Alias("send")] Task<ChatTurn> SendMessageAsync(string content, CancellationToken cancellationToken = default);

    [Alias("delete")] Task DeleteAsync();
}
