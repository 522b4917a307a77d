using System.Text;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Sessions;
using AgentGrid.Grains.Sessions;
using AgentGrid.Grains.Usage;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Memory;

/// <summary>
/// Folds a session's oldest messages into its summary with a model call (metered like every other), in as many
/// passes as the model's window needs: each pass sees the summary so far and the next messages that fit.
/// </summary>
public sealed class SessionSummarizer(ModelMeter models)
{
    public const int MaxSummaryTokens = 1024;

    private const string Instructions =
        "You keep the memory of a conversation between a user and an assistant. Rewrite the summary so far to also " +
        "cover the new messages. Keep every fact, name, number, decision, preference and open question; drop " +
        "pleasantries. Write in the third person, at most a few paragraphs. Reply with the summary only.";

    /// <param name="budget">Tokens the prompt of one pass may use.</param>
    public async Task<string> SummarizeAsync(
        MeteredCall call, string? previous, IReadOnlyList<SessionMessage> messages, int budget, Func<string, int> count, string affinityKey, CancellationToken cancellationToken)
    {
        var summary = previous;
        var next = 0;
        while (next < messages.Count)
        {
            var room = budget - count(Instructions) - count(summary ?? "") - 96; // 96: the fences and their rule
            var part = new StringBuilder();
            var used = 0;
            while (next < messages.Count)
            {
                var line = $"{messages[next].Role}: {messages[next].Content}\n";
                var cost = count(line);
                if (used > 0 && used + cost > room)
                {
                    break;
                }

                // A single message larger than a pass is cut to what fits.
                part.Append(cost > room ? line[..Math.Max(1, line.Length * Math.Max(room, 1) / cost)] : line);
                used += cost;
                next++;
            }

            summary = await PassAsync(call, summary, part.ToString(), affinityKey, cancellationToken);
        }

        return summary ?? "";
    }

    /// <summary>One pass's prompt: the instructions, then the summary so far and the new messages, each fenced as data.</summary>
    public static List<ChatMessage> Prompt(string? summary, string conversation)
    {
        return
        [
            new(ChatRole.System, $"{Instructions} {PromptFence.Rule("summary", "messages")}"),
            new(ChatRole.User, $"Summary so far:\n{PromptFence.Quote("summary", string.IsNullOrWhiteSpace(summary) ? "(none)" : summary)}\n\nNew messages:\n{PromptFence.Quote("messages", conversation)}"),
        ];
    }

    private async Task<string> PassAsync(MeteredCall call, string? summary, string conversation, string affinityKey, CancellationToken cancellationToken)
    {
        var prompt = Prompt(summary, conversation);
        var text = new StringBuilder();
        await foreach (var update in models.StreamAsync(call, prompt, new ModelParameters { MaxTokens = MaxSummaryTokens, Temperature = 0.2 }, affinityKey, cancellationToken))
        {
            text.Append(update.Delta);
        }

        var written = text.ToString().Trim();
        return written.Length > 0 ? written : summary ?? "";
    }
}
