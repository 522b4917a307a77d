using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Agents;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// One conversation. Not reentrant: a send holds the activation from storing the user message to
/// storing the reply, so concurrent sends are answered one after another in arrival order.
/// </summary>
public sealed class SessionGrain(
    [PersistentState("session", GridNames.StateStore)] IPersistentState<SessionState> state,
    ChatModelInvoker models,
    TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public async Task<Session> OpenAsync(string agentId, IReadOnlyDictionary<string, string> variables)
    {
        if (state.State.AgentId is not null)
        {
            throw new AgentGridException(ErrorCodes.SessionExists, $"Session '{Key.Id}' already exists.");
        }

        var agent = await AgentOf(agentId).GetAsync();
        SessionVariables.Validate(variables, agent);
        state.State.AgentId = agentId;
        state.State.Variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        state.State.CreatedAt = time.GetUtcNow();
        await this.WriteOrDeactivateAsync(state);
        logger.LogInformation("Session {SessionKey} opened on agent {AgentId}", this.GetPrimaryKeyString(), agentId);
        return Snapshot();
    }

    public Task<Session> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(Snapshot());
    }

    public Task<IReadOnlyList<SessionMessage>> GetMessagesAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<SessionMessage>>(state.State.Messages);
    }

    public async Task<ChatTurn> SendMessageAsync(string content, CancellationToken cancellationToken = default)
    {
        EnsureExists();
        if (string.IsNullOrWhiteSpace(content))
        {
            throw AgentGridException.Validation("content", "content must not be empty.");
        }

        if (content.Length > Limits.MaxMessageLength)
        {
            throw AgentGridException.Validation("content", $"content must be at most {Limits.MaxMessageLength} characters.");
        }

        var agent = await AgentOf(state.State.AgentId!).GetAsync();
        var message = await AppendAsync(MessageRoles.User, content);

        var reply = await models.CompleteAsync(agent.Model, Prompt(agent), agent.Parameters, cancellationToken);
        var stored = await AppendAsync(MessageRoles.Assistant, reply.Text);
        return new ChatTurn { Message = message, Reply = stored };
    }

    public async Task DeleteAsync()
    {
        EnsureExists();
        await state.ClearStateAsync();
        logger.LogInformation("Session {SessionKey} deleted", this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    private async Task<SessionMessage> AppendAsync(string role, string content)
    {
        var message = new SessionMessage { Id = GrainKeys.NewId("msg"), Role = role, Content = content, CreatedAt = time.GetUtcNow() };
        state.State.Messages.Add(message);
        await this.WriteOrDeactivateAsync(state);
        return message;
    }

    private List<ChatMessage> Prompt(Agent agent)
    {
        var prompt = new List<ChatMessage>(state.State.Messages.Count + 1);
        if (!string.IsNullOrEmpty(agent.SystemPrompt))
        {
            prompt.Add(new ChatMessage(ChatRole.System, PromptTemplate.Render(agent.SystemPrompt, state.State.Variables)));
        }

        prompt.AddRange(state.State.Messages.Select(m =>
            new ChatMessage(m.Role == MessageRoles.User ? ChatRole.User : ChatRole.Assistant, m.Content)));
        return prompt;
    }

    private IAgentGrain AgentOf(string agentId) => GrainFactory.GetGrain<IAgentGrain>(GrainKeys.For(Key.Tenant, agentId));

    private void EnsureExists()
    {
        if (state.State.AgentId is null)
        {
            throw AgentGridException.SessionNotFound(Key.Id);
        }
    }

    private Session Snapshot() => new()
    {
        Id = Key.Id,
        AgentId = state.State.AgentId!,
        Variables = state.State.Variables,
        CreatedAt = state.State.CreatedAt,
        MessageCount = state.State.Messages.Count,
        LastMessageAt = state.State.Messages.Count > 0 ? state.State.Messages[^1].CreatedAt : null,
    };
}
