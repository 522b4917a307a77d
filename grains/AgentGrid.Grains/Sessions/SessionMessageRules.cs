using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>What a user message must be before a session accepts it.</summary>
public static class SessionMessageRules
{
    public static void Validate(string content, string? messageId)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw AgentGridException.Validation("content", "content must not be empty.");
        }

        if (content.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("content", $"content must be at most {Limits.MaxMessageLength} characters.");
        }

        if (messageId is not null && !GrainKeys.IsValidId(messageId))
        {
            throw AgentGridException.Validation("messageId", "messageId must be an id of letters, digits, '_' and '-'.");
        }
    }

    /// <summary>
    /// A send whose <c>messageId</c> is already in the history is a retry: the same text, of a user message that is
    /// either answered (the stored turn is returned) or the last one (its turn goes on from its stored tool steps, if any).
    /// Anything else is refused.
    /// </summary>
    public static (SessionMessage Message, SessionMessage? Reply) Retry(string content, string messageId, IReadOnlyList<SessionMessage> history, int index)
    {
        var message = history[index];
        if (message.Role != MessageRoles.User || message.Content != content)
        {
            throw AgentGridException.Validation("messageId", $"messageId '{messageId}' already names a different message; use a new id.");
        }

        for (var next = index + 1; next < history.Count; next++)
        {
            if (history[next].IsReply)
            {
                return (message, history[next]);
            }

            if (history[next].Role == MessageRoles.User)
            {
                throw AgentGridException.Validation("messageId", $"Message '{messageId}' was never answered and others followed it; send it as a new message.");
            }
        }

        return (message, null);
    }
}
