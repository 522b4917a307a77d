using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Sessions;

/// <summary>What a user message must be before a session accepts it.</summary>
public static class SessionMessageRules
{
    public static void Validate(string content, string? messageId, IReadOnlyList<SessionMessage> history)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw AgentGridException.Validation("content", "content must not be empty.");
        }

        if (content.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("content", $"content must be at most {Limits.MaxMessageLength} characters.");
        }

        if (messageId is not null && (!GrainKeys.IsValidId(messageId) || history.Any(m => m.Id == messageId)))
        {
            throw AgentGridException.Validation("messageId", "messageId must be a new id of letters, digits, '_' and '-'.");
        }
    }
}
