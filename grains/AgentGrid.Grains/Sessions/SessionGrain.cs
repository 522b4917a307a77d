using System.Diagnostics;
using System.Text;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Contracts.Memory;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Agents;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// One conversation. Not reentrant: a send holds the activation from storing the user message to
/// storing the reply, so concurrent sends are answered one after another in arrival order. Reads,
/// replays and cancellation interleave with a send in progress.
/// </summary>
public sealed partial class SessionGrain(
    [PersistentState("session", GridNames.StateStore)] IPersistentState<SessionState> state,
    SessionServices services,
    IOptions<SessionOptions> options,
    TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private SessionEventLog _events = null!;
    private SessionHistory _history = null!;
    private SessionMemory _memory = null!;
    private (string Id, CancellationTokenSource Cancel)? _turn;
    private IReadOnlyList<Citation> _citations = [];
    private SessionWatchers _watchers = null!;

    private (string Tenant, string Id) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    private ModelMeter Models => services.Models;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _history = new SessionHistory(services.Records, this.GetPrimaryKeyString(), options.Value.HistoryWindow);
        _watchers = new SessionWatchers(time);
        _memory = services.MemoryFor(_history);
        if (SessionMigration.Needed(state.State))
        {
            await SessionMigration.MigrateAsync(state.State, _history);
            await this.WriteOrDeactivateAsync(state);
        }

        var retained = await _history.LoadAsync(options.Value.MaxRetainedEvents);
        _events = new SessionEventLog(retained, _watchers, options.Value.MaxRetainedEvents);
        if (_events.CloseInterruptedTurn(time.GetUtcNow()) is { } failed)
        {
            await SaveAsync([], null);
            await _events.PublishAsync(failed);
        }
    }

    public async Task<Session> OpenAsync(string agentId, IReadOnlyDictionary<string, string> variables, string? user = null, string? owner = null)
    {
        if (state.State.AgentId is not null)
        {
            throw new AgentGridException(ErrorCodes.SessionExists, $"Session '{Key.Id}' already exists.");
        }

        var agent = await AgentOf(agentId).GetAsync();
        SessionVariables.Validate(variables, agent);
        state.State.AgentId = agentId;
        state.State.User = SessionUsers.Validate(user ?? owner);
        state.State.Owner = owner;
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

    public Task<IReadOnlyList<SessionMessage>> GetMessagesAsync(long? before = null, int limit = 100)
    {
        EnsureExists();
        return _history.PageAsync(before, Math.Clamp(limit, 1, Limits.MaxHistoryPage));
    }

    public Task<IReadOnlyList<SessionEvent>> GetEventsAsync(long afterSequence)
    {
        EnsureExists();
        return Task.FromResult(_events.After(afterSequence));
    }

    public Task<bool> CancelTurnAsync(string? turnId = null)
    {
        EnsureExists();
        var turn = _turn;
        if (turn is null || (turnId is not null && turn.Value.Id != turnId))
        {
            return Task.FromResult(false);
        }

        turn.Value.Cancel.Cancel();
        return Task.FromResult(true);
    }

    public async Task<ChatTurn> SendMessageAsync(string content, string? messageId = null, string? keyId = null, CancellationToken cancellationToken = default)
    {
        EnsureExists();
        SessionMessageRules.Validate(content, messageId);
        if (messageId is not null && _history.Recent.ToList().FindIndex(m => m.Id == messageId) is var index and >= 0)
        {
            return await RetryAsync(content, messageId, index, keyId, cancellationToken);
        }

        RequireNoApprovalPending();
        var id = messageId ?? GrainKeys.NewId("msg");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _turn = (id, cancel);
        try
        {
            var agent = await AgentOf(state.State.AgentId!).GetAsync();
            if (cancel.IsCancellationRequested)
            {
                // Cancelled (or the caller left) while this send waited its turn: nothing is stored.
                throw new AgentGridException(ErrorCodes.TurnCancelled, "The message was cancelled before it was accepted.");
            }

            var toolbox = await AgentToolbox.LoadAsync(GrainFactory, Key.Tenant, agent, logger);
            var message = new SessionMessage { Id = id, Role = MessageRoles.User, Content = content, CreatedAt = time.GetUtcNow(), Index = _history.NextIndex };
            // Limits and budgets are checked before anything is stored: a refused message leaves no trace.
            await using var reserved = await ReserveAsync(agent, message, keyId, toolbox.Offer(mayCall: true), cancel.Token);
            var accepted = _events.Append(Event(SessionEventTypes.MessageAccepted, id) with { Message = message });
            await SaveAsync([message], accepted);
            await _events.PublishAsync(accepted);
            return await FinishTurnAsync(agent, message, toolbox, reserved, keyId, cancel.Token);
        }
        finally
        {
            _turn = null;
        }
    }

    /// <summary>
    /// The same message sent again with its id (a client retrying after an error or a lost connection): the user
    /// message is never stored twice; an answered turn is returned as it is, one waiting for approval as it stands, and
    /// an unanswered last one goes on from its stored steps.
    /// </summary>
    private async Task<ChatTurn> RetryAsync(string content, string messageId, int index, string? keyId, CancellationToken cancellationToken)
    {
        var (message, reply) = SessionMessageRules.Retry(content, messageId, _history.Recent, index);
        if (reply is not null)
        {
            return new ChatTurn { Message = message, Reply = reply };
        }

        if (state.State.PendingApprovals.Any(p => p.TurnId == messageId))
        {
            return Paused(message);
        }

        RequireNoApprovalPending();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _turn = (messageId, cancel);
        try
        {
            logger.LogInformation("Session {SessionKey} answers {MessageId} again (a retry)", this.GetPrimaryKeyString(), messageId);
            var agent = await AgentOf(state.State.AgentId!).GetAsync();
            var toolbox = await AgentToolbox.LoadAsync(GrainFactory, Key.Tenant, agent, logger);
            await using var reserved = await ReserveAsync(agent, message, keyId, toolbox.Offer(MayCallTools(message)), cancel.Token);
            return await FinishTurnAsync(agent, message, toolbox, reserved, keyId, cancel.Token);
        }
        finally
        {
            _turn = null;
        }
    }

    /// <summary>A turn that waits for approval holds the conversation: its calls are decided before anything else is said.</summary>
    private void RequireNoApprovalPending()
    {
        if (state.State.PendingApprovals.Count > 0)
        {
            throw new AgentGridException(ErrorCodes.ApprovalPending,
                $"Tool call '{state.State.PendingApprovals[0].Call.Id}' waits for approval; approve or deny it (POST /api/sessions/{Key.Id}/approvals/{{callId}}) first.");
        }
    }

    /// <summary>
    /// Runs a stored user message's turn on to its reply (or to calls that wait for approval); every way it can fail
    /// ends the turn with <c>turn.failed</c>.
    /// </summary>
    private async Task<ChatTurn> FinishTurnAsync(Agent agent, SessionMessage message, AgentToolbox toolbox, ReservedModelCall? reserved, string? keyId, CancellationToken cancellationToken)
    {
        try
        {
            var turn = await CarryOnAsync(agent, message, toolbox, reserved, keyId, cancellationToken);
            if (turn.Reply is { } reply && agent.Memory.Extract && MemoryKey is { } memoryKey)
            {
                await GrainFactory.GetGrain<IAgentMemoryGrain>(memoryKey)
                    .ExtractAsync(message.Content, reply.Content, new Caller(Key.Tenant, keyId));
            }

            return turn;
        }
        catch (AgentGridException e)
        {
            await FailTurnAsync(message.Id, e.Code, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            const string cancelled = "The reply was cancelled before it was complete.";
            await FailTurnAsync(message.Id, ErrorCodes.TurnCancelled, cancelled);
            throw new AgentGridException(ErrorCodes.TurnCancelled, cancelled);
        }
        catch (Exception e)
        {
            // Storage failed while the reply was stored: the activation is being dropped. Tell the
            // subscribers now (the event cannot be stored); the next activation closes the turn for good.
            logger.LogError(e, "Session {SessionKey} could not store the reply to {MessageId}", this.GetPrimaryKeyString(), message.Id);
            const string interrupted = "The reply could not be stored; the message is kept. Send it again.";
            await _events.PublishAsync(_events.Append(Event(SessionEventTypes.TurnFailed, message.Id) with
            {
                Code = ErrorCodes.TurnInterrupted,
                Error = interrupted,
            }));
            throw new AgentGridException(ErrorCodes.TurnInterrupted, interrupted);
        }
    }

    public Task WatchAsync(ISessionEventObserver observer)
    {
        EnsureExists();
        _watchers.Watch(observer);
        return Task.CompletedTask;
    }

    public Task UnwatchAsync(ISessionEventObserver observer)
    {
        _watchers.Unwatch(observer);
        return Task.CompletedTask;
    }

    public async Task DeleteAsync()
    {
        EnsureExists();
        await _history.DeleteAsync();
        await state.ClearStateAsync();
        logger.LogInformation("Session {SessionKey} deleted", this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    /// <summary>The end user the agent remembers this conversation under.</summary>
    private string User => state.State.User ?? SessionUsers.Anonymous;

    /// <summary>Whose session it is inside the tenant.</summary>
    private string? Owner => state.State.Owner ?? Owners.OfLegacySession(state.State.User);

    /// <summary>The key of the agent's memory of this conversation's user, within the owner's memories; none for anonymous sessions.</summary>
    private string? MemoryKey => User == SessionUsers.Anonymous ? null : MemoryKeys.For(Key.Tenant, state.State.AgentId!, Owner, User);

    private MeteredCall Call(Agent agent, string? keyId) => new(new Caller(Key.Tenant, keyId), agent.Model, agent.Id, MeteredCall.Session);

    private SessionEvent Event(string type, string turnId) => new() { Type = type, TurnId = turnId, At = time.GetUtcNow() };

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
        MessageCount = (int)_history.Count,
        LastMessageAt = _history.Last?.CreatedAt,
        LastSequence = _events.VisibleSequence,
        Summary = state.State.Summary,
        User = User,
        PendingApprovals = [.. state.State.PendingApprovals],
        Owner = Owner,
    };
}
