using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Agents;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Sessions;

/// <summary>What a session sends to the model: the agent's rendered system prompt, then the history.</summary>
public static class SessionPrompt
{
    /// <param name="pending">A user message not stored yet, which goes last.</param>
    public static List<ChatMessage> Build(Agent agent, SessionState state, SessionMessage? pending = null)
    {
        var prompt = new List<ChatMessage>(state.Messages.Count + 1);
        if (!string.IsNullOrEmpty(agent.SystemPrompt))
        {
            prompt.Add(new ChatMessage(ChatRole.System, PromptTemplate.Render(agent.SystemPrompt, state.Variables)));
        }

        // A turn that failed leaves a user message without a reply; strict chat templates refuse two
        // user messages in a row, so consecutive messages of one role are sent as one.
        foreach (var message in pending is null ? state.Messages : state.Messages.Append(pending))
        {
            var role = message.Role == MessageRoles.User ? ChatRole.User : ChatRole.Assistant;
            if (prompt.Count > 0 && prompt[^1].Role == role)
            {
                prompt[^1] = new ChatMessage(role, prompt[^1].Text + "\n\n" + message.Content);
            }
            else
            {
                prompt.Add(new ChatMessage(role, message.Content));
            }
        }

        return prompt;
    }
}
