using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Contracts.Memory;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Knowledge;
using AgentGrid.Grains.Memory;
using AgentGrid.Grains.Usage;
using AgentGrid.Inference.Providers;
using AgentGrid.Inference.Tokens;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Sessions;

/// <summary>
/// A session's context window: counts the prompt in the model's tokens, and when the history no longer fits the
/// window less the reply's <c>max_tokens</c>, has the oldest turns summarised first. Estimated counts are scaled by
/// what the backend reported for earlier prompts, so an estimate that ran low is corrected from the next turn on.
/// </summary>
internal sealed class SessionMemory(SessionHistory history, ModelContexts contexts, TokenCounter counter, SessionSummarizer summarizer, int maxOutputTokens)
{
    /// <summary>Kept free of the window for what counting cannot see (chat-template tokens, a tokenizer that differs).</summary>
    public const double SafetyMargin = 0.05;

    private double _scale = 1.0;
    private int _lastEstimate;
    private (string MessageId, string? Fenced, IReadOnlyList<Citation> Citations)? _retrieved;

    /// <summary>The most of the window retrieved passages and remembered facts may take; the rest is for history.</summary>
    public const double RetrievedShare = 0.5;

    public sealed record Composed(List<ChatMessage> Prompt, SessionSummary? NewSummary, IReadOnlyList<Citation> Citations);

    /// <summary>
    /// The prompt for a turn: remembered facts and retrieved passages (within <see cref="RetrievedShare"/> of the window),
    /// then as much history as fits, summarising the oldest first when needed (a metered model call of its own).
    /// </summary>
    public async Task<Composed> ComposeAsync(
        IGrainFactory grains, Agent agent, IReadOnlyDictionary<string, string> variables, SessionSummary? summary, SessionMessage pending,
        string? memoryKey, MeteredCall call, string affinityKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var context = await contexts.OfAsync(agent.Model);
        int Count(string text) => (int)Math.Ceiling(counter.Count(context.Encoding, text) * (context.Encoding is null ? _scale : 1.0));
        var output = Math.Min(agent.Parameters.MaxTokens ?? maxOutputTokens, maxOutputTokens);
        var budget = (int)(context.ContextLength * (1 - SafetyMargin)) - output;
        var room = (int)(Math.Max(0, budget - Count(pending.Content)) * RetrievedShare * TokenCounter.EstimatedBytesPerToken);
        // A turn's later steps (after tool calls) reuse what its first step retrieved.
        if (_retrieved is not { } kept || kept.MessageId != pending.Id)
        {
            var (fenced, found) = await RetrieveAsync(grains, agent, pending.Content, memoryKey, call.Caller, room);
            _retrieved = kept = (pending.Id, fenced, found);
        }

        var (_, retrieved, citations) = kept;
        var through = summary?.ThroughIndex ?? 0;
        var recent = history.Recent.Where(m => m.Index > through && m.Index < pending.Index).ToList();
        var continuation = history.Recent.Where(m => m.Index > pending.Index).ToList();
        var fixedTokens = Count(SessionPrompt.System(agent, variables, summary) ?? "") + Count(pending.Content) + Count(retrieved ?? "")
            + continuation.Sum(m => Count(SessionPrompt.TextOf(m)) + ContextWindow.PerMessageOverhead) + 2 * ContextWindow.PerMessageOverhead;
        var plan = ContextWindow.Plan(budget, fixedTokens, recent, m => Count(SessionPrompt.TextOf(m)));
        SessionSummary? written = null;
        if (plan.SummarizeThrough is { } last)
        {
            var folded = await history.RangeAsync(through + 1, last);
            var text = await summarizer.SummarizeAsync(call with { Source = MeteredCall.Summary }, summary?.Text, folded,
                Math.Max(512, context.ContextLength - SessionSummarizer.MaxSummaryTokens - (int)(context.ContextLength * SafetyMargin)), Count, affinityKey, cancellationToken);
            written = summary = new SessionSummary { Text = text, ThroughIndex = last, At = now, Model = agent.Model };
        }

        var prompt = SessionPrompt.Build(SessionPrompt.System(agent, variables, summary), plan.Recent, pending, retrieved, continuation);
        _lastEstimate = context.Encoding is null ? prompt.Sum(m => TokenCounter.Estimate(PromptText.Of(m))) : 0;
        return new Composed(prompt, written, citations);
    }

    /// <summary>Remembered facts and knowledge-base passages for a message, fenced, within <paramref name="room"/> characters.</summary>
    private static async Task<(string? Fenced, IReadOnlyList<Citation> Citations)> RetrieveAsync(
        IGrainFactory grains, Agent agent, string query, string? memoryKey, Contracts.Identity.Caller caller, int room)
    {
        var retrieving = KnowledgeRetrieval.RetrieveAsync(grains, agent, query, caller, room);
        var remembered = memoryKey is null ? null : await MemoryRecall.RecallAsync(grains, agent, memoryKey, query, caller);
        var retrieved = await retrieving;
        var fenced = string.Join("\n\n", new[] { remembered, retrieved.Fenced }.Where(c => c is not null));
        return (fenced.Length > 0 ? fenced : null, retrieved.Citations);
    }

    /// <summary>Learns from the prompt tokens the backend reported for the last composed prompt.</summary>
    public void Observe(long? reportedInputTokens)
    {
        if (reportedInputTokens is > 0 && _lastEstimate > 0)
        {
            // Only ever scaled up: an estimate that runs high costs some context, one that runs low costs the turn.
            _scale = Math.Clamp((double)reportedInputTokens.Value / _lastEstimate, 1.0, 4.0);
        }
    }
}
