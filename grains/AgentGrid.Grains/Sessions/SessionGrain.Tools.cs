using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Usage;
using Microsoft.Extensions.Logging;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// A turn's tool loop: the model calls tools, they run (or wait for a member's approval), their results go back to the
/// model, until it answers in text. Every step is stored before the next starts, so a turn paused for approval goes on
/// after a restart from exactly where it stood.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>The most of a tool's output a prompt carries; the tool's own log keeps more.</summary>
    public const int MaxToolOutputInPrompt = 32 * 1024;

    /// <summary>
    /// Runs the turn of <paramref name="message"/> on from its stored steps until the model answers or calls wait for
    /// approval. <paramref name="reserved"/> is the first model call, already admitted, if there is one.
    /// </summary>
    private async Task<ChatTurn> CarryOnAsync(Agent agent, SessionMessage message, AgentToolbox toolbox, ReservedModelCall? reserved, string? keyId, CancellationToken cancellationToken)
    {
        var tally = new TurnTally();
        // A turn cut off after the model called tools and before every call had its result (a crash, a retry) runs
        // those calls first: the model never sees a call without its answer.
        if (Unanswered(message) is { Count: > 0 } unanswered)
        {
            if (reserved is not null)
            {
                await reserved.DisposeAsync();
                reserved = null;
            }

            var held = await RunCallsAsync(agent, message, toolbox, unanswered, keyId);
            if (held.Count > 0)
            {
                return await PauseAsync(message, held, tally);
            }
        }

        while (true)
        {
            if (TurnSoFar(message).Steps > services.Tools.MaxIterations)
            {
                // Offered no more calls, the model called tools anyway: the turn stops rather than loop.
                throw new AgentGridException(ErrorCodes.ToolFailed,
                    $"The model kept calling tools after its {services.Tools.MaxIterations} allowed steps; the turn stops.");
            }

            reserved ??= await ReserveAsync(agent, message, keyId, toolbox.Offer(MayCallTools(message)), cancellationToken);
            Step step;
            await using (reserved)
            {
                step = await GenerateAsync(message, reserved, tally, cancellationToken);
            }

            reserved = null;
            if (step.Completed is { } completed)
            {
                return new ChatTurn
                {
                    Message = message, Reply = completed.Message!, InputTokens = completed.InputTokens, OutputTokens = completed.OutputTokens,
                    FinishReason = completed.FinishReason,
                };
            }

            var waiting = await RunCallsAsync(agent, message, toolbox, step.Message.ToolCalls!, keyId);
            if (waiting.Count > 0)
            {
                return await PauseAsync(message, waiting, tally);
            }
        }
    }

    /// <summary>The calls of the turn's last tool step that have no result and do not wait for approval.</summary>
    private List<ToolCall> Unanswered(SessionMessage message)
    {
        var step = _history.Recent.LastOrDefault(m => m.Index > message.Index && m.ToolCalls is { Count: > 0 });
        if (step is null)
        {
            return [];
        }

        var answered = _history.Recent.Where(m => m.Index > step.Index && m.ToolCallId is not null).Select(m => m.ToolCallId!).ToHashSet(StringComparer.Ordinal);
        return [.. step.ToolCalls!.Where(c => !answered.Contains(c.Id) && !state.State.PendingApprovals.Any(p => p.Call.Id == c.Id))];
    }

    /// <summary>Whether the turn may still call tools: it is under both the iteration and the call cap.</summary>
    private bool MayCallTools(SessionMessage message)
    {
        var (steps, calls) = TurnSoFar(message);
        return steps < services.Tools.MaxIterations && calls < services.Tools.MaxCallsPerTurn;
    }

    /// <summary>The model calls that called tools so far in the turn, and the tool calls they made.</summary>
    private (int Steps, int Calls) TurnSoFar(SessionMessage message)
    {
        var steps = _history.Recent.Where(m => m.Index > message.Index && m.ToolCalls is { Count: > 0 }).ToList();
        return (steps.Count, steps.Sum(m => m.ToolCalls!.Count));
    }

    /// <summary>Runs a step's calls in order; those that need approval are announced and returned, to wait.</summary>
    private async Task<List<PendingApproval>> RunCallsAsync(Agent agent, SessionMessage message, AgentToolbox toolbox, IReadOnlyList<ToolCall> calls, string? keyId)
    {
        var waiting = new List<PendingApproval>();
        var made = TurnSoFar(message).Calls - calls.Count;
        foreach (var call in calls)
        {
            if (++made > services.Tools.MaxCallsPerTurn)
            {
                await StoreResultAsync(message, call, ToolExecutionStatus.Error, ErrorCodes.ToolFailed,
                    $"The turn already made {services.Tools.MaxCallsPerTurn} tool calls, the most one turn may make; answer with what you have.");
                continue;
            }

            if (toolbox.Find(call.Name) is not { } tool)
            {
                await StoreResultAsync(message, call, ToolExecutionStatus.Error, ErrorCodes.ToolNotFound, $"There is no tool named '{call.Name}'.");
                continue;
            }

            if (tool.Definition.RequiresApproval)
            {
                waiting.Add(new PendingApproval { Call = call, TurnId = message.Id, ToolId = tool.Id, RequestedAt = time.GetUtcNow() });
                continue;
            }

            await RunCallAsync(agent, message, tool.Id, call, keyId);
        }

        return waiting;
    }

    /// <summary>Runs one call with <c>tool.called</c> before and <c>tool.completed</c> or <c>tool.failed</c> after, its result stored.</summary>
    private async Task RunCallAsync(Agent agent, SessionMessage message, string toolId, ToolCall call, string? keyId)
    {
        // Stored before the tool runs: the number is never handed out twice, even if the grid stops meanwhile.
        var called = _events.Append(Event(SessionEventTypes.ToolCalled, message.Id) with { ToolCall = call });
        await SaveAsync([], called);
        await _events.PublishAsync(called);
        ToolExecution execution;
        try
        {
            execution = await GrainFactory.GetGrain<IToolGrain>(GrainKeys.For(Key.Tenant, toolId))
                .InvokeAsync(call.Arguments, new ToolCallContext(keyId, agent.Id, Key.Id, Owner: Owner));
        }
        catch (AgentGridException e)
        {
            // Refused before it ran (arguments that break the schema, a disabled or rate-limited tool): the model is told.
            await StoreResultAsync(message, call, ToolExecutionStatus.Error, e.Code, e.Message);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The tool's grain could not be reached or answered late: the call fails, the turn goes on.
            logger.LogWarning(e, "Session {SessionKey}: tool {ToolId} did not answer call {CallId}", this.GetPrimaryKeyString(), toolId, call.Id);
            await StoreResultAsync(message, call, ToolExecutionStatus.Error, ErrorCodes.ToolFailed, "The tool could not be reached.");
            return;
        }

        if (execution.Status == ToolExecutionStatus.Success)
        {
            await StoreResultAsync(message, call, ToolExecutionStatus.Success, null, null, execution.Output ?? "null", execution.DurationMs);
        }
        else
        {
            await StoreResultAsync(message, call, execution.Status, execution.ErrorCode ?? ErrorCodes.ToolFailed, execution.Error ?? "The tool failed.",
                durationMs: execution.DurationMs);
        }
    }

    /// <summary>Stores a call's result as a tool message, with its <c>tool.completed</c> or <c>tool.failed</c>, then publishes that.</summary>
    private async Task StoreResultAsync(
        SessionMessage message, ToolCall call, ToolExecutionStatus status, string? code, string? error, string? output = null, double? durationMs = null)
    {
        var content = output ?? JsonSerializer.Serialize(new { error = code, message = error });
        var result = new SessionMessage
        {
            Id = GrainKeys.NewId("msg"), Role = MessageRoles.Tool, CreatedAt = time.GetUtcNow(), Index = _history.NextIndex, ToolCallId = call.Id, ToolStatus = status,
            Content = content.Length <= MaxToolOutputInPrompt ? content : content[..MaxToolOutputInPrompt] + "… (clipped)",
        };
        var done = _events.Append(status == ToolExecutionStatus.Success
            ? Event(SessionEventTypes.ToolCompleted, message.Id) with
            {
                ToolCall = call, TotalMs = durationMs,
                Output = content.Length <= SessionEvent.MaxOutputLength ? content : content[..SessionEvent.MaxOutputLength],
            }
            : Event(SessionEventTypes.ToolFailed, message.Id) with { ToolCall = call, Code = code, Error = error, TotalMs = durationMs });
        await SaveAsync([result], done);
        await _events.PublishAsync(done);
    }

    /// <summary>Stores the calls that wait, announces each, and ends this part of the turn with <c>turn.paused</c>.</summary>
    private async Task<ChatTurn> PauseAsync(SessionMessage message, List<PendingApproval> waiting, TurnTally tally)
    {
        state.State.PendingApprovals.AddRange(waiting);
        await this.WriteOrDeactivateAsync(state);
        var announced = waiting.Select(w => _events.Append(Event(SessionEventTypes.ToolApprovalRequested, message.Id) with { ToolCall = w.Call })).ToList();
        var paused = _events.Append(Event(SessionEventTypes.TurnPaused, message.Id));
        try
        {
            await SaveAsync([], paused);
        }
        catch
        {
            // Never announced, so never waited on: the calls go back to unanswered, and a retry asks for them again.
            state.State.PendingApprovals.RemoveAll(waiting.Contains);
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Session {SessionKey} could not take back unannounced approvals", this.GetPrimaryKeyString());
            }

            throw;
        }
        foreach (var e in announced.Append(paused))
        {
            await _events.PublishAsync(e);
        }

        logger.LogInformation("Session {SessionKey} waits for approval of {Count} tool call(s) in turn {TurnId}", this.GetPrimaryKeyString(), waiting.Count, message.Id);
        return Paused(message) with { InputTokens = tally.InputTokens, OutputTokens = tally.OutputTokens };
    }

    /// <summary>The turn of <paramref name="message"/> as it stands while calls wait.</summary>
    private ChatTurn Paused(SessionMessage message) => new()
    {
        Message = message,
        PendingApprovals = [.. state.State.PendingApprovals.Where(p => p.TurnId == message.Id).Select(p => p.Call)],
    };

    public async Task<ChatTurn> DecideApprovalAsync(string callId, ApprovalDecision decision, string? keyId = null, CancellationToken cancellationToken = default)
    {
        EnsureExists();
        var pending = state.State.PendingApprovals.Find(p => p.Call.Id == callId)
            ?? throw new AgentGridException(ErrorCodes.ApprovalNotFound, $"No tool call '{callId}' waits for approval in this session.");
        if (decision.Arguments is { } shown && !Tools.ToolArguments.Same(shown, pending.Call.Arguments))
        {
            throw new AgentGridException(ErrorCodes.ApprovalMismatch,
                $"The arguments approved differ from those of tool call '{callId}'; approve the call as it was requested.", "arguments");
        }

        var message = _history.Recent.FirstOrDefault(m => m.Id == pending.TurnId)
            ?? throw new AgentGridException(ErrorCodes.ApprovalNotFound,
                $"Tool call '{callId}' belongs to a turn too far back in the history to go on; send the message again.");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _turn = (message.Id, cancel);
        try
        {
            var agent = await AgentOf(state.State.AgentId!).GetAsync();
            // A decision whose result was stored before the grid stopped is not acted on twice.
            if (!_history.Recent.Any(m => m.ToolCallId == callId))
            {
                await ActOnAsync(agent, message, pending, decision, keyId);
            }

            state.State.PendingApprovals.Remove(pending);
            await this.WriteOrDeactivateAsync(state);
            logger.LogInformation("Session {SessionKey}: tool call {CallId} {Decision}", this.GetPrimaryKeyString(), callId, decision.Approved ? "approved" : "denied");
            if (state.State.PendingApprovals.Any(p => p.TurnId == message.Id))
            {
                return Paused(message);
            }

            var toolbox = await AgentToolbox.LoadAsync(GrainFactory, Key.Tenant, agent, logger);
            return await FinishTurnAsync(agent, message, toolbox, null, keyId, cancel.Token);
        }
        finally
        {
            _turn = null;
        }
    }

    /// <summary>Runs an approved call with exactly its requested arguments, or logs a denied one and tells the model.</summary>
    private async Task ActOnAsync(Agent agent, SessionMessage message, PendingApproval pending, ApprovalDecision decision, string? keyId)
    {
        if (decision.Approved)
        {
            await RunCallAsync(agent, message, pending.ToolId, pending.Call, keyId);
            return;
        }

        var reason = string.IsNullOrWhiteSpace(decision.Reason) ? "A member denied this tool call." : $"A member denied this tool call: {decision.Reason.Trim()}";
        try
        {
            await GrainFactory.GetGrain<IToolGrain>(GrainKeys.For(Key.Tenant, pending.ToolId))
                .RecordDenialAsync(pending.Call.Arguments, new ToolCallContext(keyId, agent.Id, Key.Id, Owner: Owner), reason);
        }
        catch (AgentGridException e) when (e.Code == ErrorCodes.ToolNotFound)
        {
            // The tool went meanwhile; the denial still reaches the model.
        }

        await StoreResultAsync(message, pending.Call, ToolExecutionStatus.Denied, ErrorCodes.ToolDenied, reason);
    }

    public Task<IReadOnlyList<SessionToolCall>> ToolCallsAsync()
    {
        EnsureExists();
        var results = _history.Recent.Where(m => m.Role == MessageRoles.Tool && m.ToolCallId is not null)
            .GroupBy(m => m.ToolCallId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var waiting = state.State.PendingApprovals.Select(p => p.Call.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<SessionToolCall> calls = [.. _history.Recent.Where(m => m.ToolCalls is { Count: > 0 }).SelectMany(m => m.ToolCalls!.Select(call =>
        {
            var result = results.GetValueOrDefault(call.Id);
            return new SessionToolCall
            {
                Call = call,
                Status = result?.ToolStatus is { } status ? System.Text.Json.JsonSerializer.Serialize(status).Trim('"')
                    : waiting.Contains(call.Id) ? "awaiting_approval" : "unanswered",
                Result = result?.Content,
                CalledAt = m.CreatedAt,
                EndedAt = result?.CreatedAt,
            };
        }))];
        return Task.FromResult(calls);
    }
}
