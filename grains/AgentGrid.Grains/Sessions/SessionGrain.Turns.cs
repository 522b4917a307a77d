using System.Diagnostics;
using System.Text;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Contracts.Memory;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Contracts.Tools;
using AgentGrid.Grains.Agents;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Grains.Sessions;

/// <summary>The parts of a turn: its prompt and reservation, the reply's generation, and what is stored along the way.</summary>
public sealed partial class SessionGrain
{
    /// <summary>
    /// One model call of a turn: streams its text as token events, then stores what it said. A reply is stored with
    /// <c>message.completed</c> and ends the turn; tool calls are stored as an assistant message for the loop to run.
    /// When nobody follows the session live as the call starts, the reply is asked of the model in one piece, which
    /// costs the backend and the grid less: an endpoint then answers once, as one token event (a worker's reply is always
    /// streamed, so its pool learns its latencies). The trade-off: a follower who joins during such a call sees the reply
    /// when it is complete, not token by token. Decided for each model call, so each step of a tool loop asks anew.
    /// </summary>
    private async Task<Step> GenerateAsync(SessionMessage message, ReservedModelCall reserved, TurnTally tally, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var text = new StringBuilder();
        var calls = new List<ToolCall>();
        double? timeToFirstToken = null;
        ModelUpdate last = default;
        long? inputTokens = null, outputTokens = null;
        var tokens = new TokenPublisher(_events, delta => Event(SessionEventTypes.Token, message.Id) with { Delta = delta });
        var unwatched = !_watchers.AnyLive;
        try
        {
            await foreach (var update in reserved.StreamAsync(this.GetPrimaryKeyString(), cancellationToken, whole: unwatched))
            {
                if (!string.IsNullOrEmpty(update.Delta))
                {
                    timeToFirstToken ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    text.Append(update.Delta);
                    tokens.Add(update.Delta);
                }

                calls.AddRange(update.ToolCalls ?? []);
                inputTokens = update.InputTokens ?? inputTokens;
                outputTokens = update.OutputTokens ?? outputTokens;
                last = update.FinishReason is null ? last : update;
            }
        }
        finally
        {
            // Every token event precedes the event that ends the turn, whichever it is.
            await tokens.FlushAsync();
        }

        _memory.Observe(inputTokens);
        tally.Add(inputTokens, outputTokens, timeToFirstToken);
        if (calls.Count > 0)
        {
            // Call ids are the model's; some servers repeat them (call_0). Stored ids are unique in the session, so a
            // result or an approval always names one call.
            var used = _history.Recent.SelectMany(m => m.ToolCalls ?? []).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            calls = [.. calls.Select(c => used.Add(c.Id) ? c : c with { Id = "call_" + Guid.NewGuid().ToString("N")[..24] })];
            var step = new SessionMessage
            {
                Id = GrainKeys.NewId("msg"), Role = MessageRoles.Assistant, Content = text.ToString(), CreatedAt = time.GetUtcNow(), Index = _history.NextIndex,
                ToolCalls = calls,
            };
            await SaveAsync([step], null);
            return new Step(step, null);
        }

        var reply = new SessionMessage
        {
            Id = GrainKeys.NewId("msg"), Role = MessageRoles.Assistant, Content = text.ToString(), CreatedAt = time.GetUtcNow(), Index = _history.NextIndex,
            Citations = _citations.Count > 0 ? _citations : null,
        };
        var completed = _events.Append(Event(SessionEventTypes.MessageCompleted, message.Id) with
        {
            Message = reply,
            InputTokens = tally.InputTokens,
            OutputTokens = tally.OutputTokens,
            TimeToFirstTokenMs = tally.TimeToFirstTokenMs,
            TotalMs = tally.ElapsedMs,
            FinishReason = last.FinishReason,
        });
        await SaveAsync([reply], completed);
        await _events.PublishAsync(completed);
        await TrimEventsAsync();
        return new Step(reply, completed);
    }

    /// <summary>What one model call of a turn produced: the reply (with its <c>message.completed</c>), or tool calls.</summary>
    private sealed record Step(SessionMessage Message, SessionEvent? Completed);

    /// <summary>The usage of a turn's model calls together, and its time from the first call.</summary>
    private sealed class TurnTally
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public long? InputTokens { get; private set; }
        public long? OutputTokens { get; private set; }
        /// <summary>Of the first of the turn's calls that streamed text.</summary>
        public double? TimeToFirstTokenMs { get; private set; }
        public double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

        public void Add(long? input, long? output, double? firstToken)
        {
            InputTokens = input is null ? InputTokens : (InputTokens ?? 0) + input;
            OutputTokens = output is null ? OutputTokens : (OutputTokens ?? 0) + output;
            TimeToFirstTokenMs ??= firstToken;
        }
    }

    /// <summary>
    /// The prompt for <paramref name="message"/> (the oldest turns summarised first when the history outgrew the model's
    /// window), reserved against the caller's limits and budget.
    /// </summary>
    private async Task<ReservedModelCall> ReserveAsync(Agent agent, SessionMessage message, string? keyId, ModelTools? tools, CancellationToken cancellationToken)
    {
        var call = Call(agent, keyId);
        SessionMemory.Composed composed;
        try
        {
            composed = await _memory.ComposeAsync(GrainFactory, agent, state.State.Variables, state.State.Summary, message, MemoryKey,
                call, this.GetPrimaryKeyString(), time.GetUtcNow(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new AgentGridException(ErrorCodes.TurnCancelled, "The message was cancelled before it was accepted.");
        }

        _citations = composed.Citations;
        if (composed.NewSummary is { } summary)
        {
            state.State.Summary = summary;
            await this.WriteOrDeactivateAsync(state);
            var summarized = _events.Append(Event(SessionEventTypes.MemorySummarized, message.Id) with { Summary = summary });
            await SaveAsync([], summarized);
            await _events.PublishAsync(summarized);
            logger.LogInformation("Session {SessionKey} summarised its history through message {Index}", this.GetPrimaryKeyString(), summary.ThroughIndex);
        }

        return await Models.ReserveAsync(call, composed.Prompt, agent.Parameters, tools);
    }

    /// <summary>
    /// Appends new messages with the events not stored yet, in one write. If it fails, <paramref name="retract"/> may never
    /// be shown, the other events wait for the next write, and the activation is dropped (the next one reads what was stored).
    /// </summary>
    private async Task SaveAsync(IReadOnlyList<SessionMessage> messages, SessionEvent? retract)
    {
        var events = _events.TakeUnsaved();
        try
        {
            await _history.AppendAsync(messages, events);
        }
        catch
        {
            if (retract is not null)
            {
                _events.Retract([retract]);
            }

            _events.Requeue(events.Where(e => e != retract));
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Now and then, drops stored events older than replay can reach.</summary>
    private async Task TrimEventsAsync()
    {
        var keep = options.Value.MaxRetainedEvents;
        if (_events.LastSequence % keep < 2 * keep / 3 || _events.LastSequence <= keep)
        {
            return;
        }

        try
        {
            await _history.TrimEventsAsync(_events.LastSequence - keep);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Session {SessionKey} could not drop old events; it tries again later", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Records and publishes turn.failed; if storing it fails, it is still published and the original error stands.</summary>
    private async Task FailTurnAsync(string turnId, string code, string error)
    {
        var failed = _events.Append(Event(SessionEventTypes.TurnFailed, turnId) with { Code = code, Error = error });
        try
        {
            await SaveAsync([], null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Session {SessionKey} could not store turn.failed for {TurnId}", this.GetPrimaryKeyString(), turnId);
        }

        await _events.PublishAsync(failed);
    }
}
