using AgentGrid.Contracts.Sessions;

namespace AgentGrid.Grains.Memory;

/// <summary>What a session's next prompt holds, and which old messages must first be folded into the summary.</summary>
/// <param name="Recent">The messages sent as they are, oldest first (after the summary).</param>
/// <param name="SummarizeThrough">When not null, the index of the last message to fold into the summary first.</param>
public sealed record ContextPlan(IReadOnlyList<SessionMessage> Recent, long? SummarizeThrough);

/// <summary>
/// Keeps a prompt inside the model's window: system prompt + summary + as many recent messages as fit in
/// <c>budget</c> tokens. When the history no longer fits, the oldest messages are to be summarised down to half
/// the budget, so a long conversation is summarised now and then rather than on every turn.
/// </summary>
public static class ContextWindow
{
    /// <summary>Tokens each message costs beyond its text (role and separators in every chat template).</summary>
    public const int PerMessageOverhead = 8;

    /// <param name="fixedTokens">The system prompt, summary, retrieved passages and pending message, counted.</param>
    /// <param name="history">The messages after the summary, oldest first.</param>
    public static ContextPlan Plan(int budget, int fixedTokens, IReadOnlyList<SessionMessage> history, Func<SessionMessage, int> count)
    {
        var available = budget - fixedTokens;
        var costs = history.Select(m => count(m) + PerMessageOverhead).ToArray();
        if (costs.Sum() <= available)
        {
            return new ContextPlan(history, null);
        }

        // Keep the newest messages that fit in half of what is left; fold everything before them.
        var keep = Math.Max(0, available / 2);
        var start = history.Count;
        var used = 0;
        while (start > 0 && used + costs[start - 1] <= keep)
        {
            used += costs[--start];
        }

        // Begin the kept part with a user message, so no reply is sent without its question.
        while (start < history.Count && history[start].Role != MessageRoles.User)
        {
            start++;
        }

        return start == 0
            ? new ContextPlan(history, null)
            : new ContextPlan([.. history.Skip(start)], history[start - 1].Index);
    }
}
