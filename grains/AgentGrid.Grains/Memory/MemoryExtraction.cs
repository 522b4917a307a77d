using System.Text;
using AgentGrid.Contracts.Agents;
using AgentGrid.Grains.Sessions;
using AgentGrid.Grains.Usage;
using Microsoft.Extensions.AI;

namespace AgentGrid.Grains.Memory;

/// <summary>Asks the agent's model for the durable facts about the user in one exchange, as a short list.</summary>
public static class MemoryExtraction
{
    public const int MaxFacts = 3;

    private const string Instructions =
        "From the exchange below, list at most three durable facts about the user worth remembering in later " +
        "conversations (preferences, circumstances, names, goals). One per line, each starting with \"- \". Skip " +
        "anything temporary, and anything said only by the assistant. If there is nothing, reply with NONE.";

    public static async Task<IReadOnlyList<string>> ExtractAsync(ModelMeter models, MeteredCall call, string userMessage, string reply, string affinityKey)
    {
        var prompt = Prompt(userMessage, reply);
        var text = new StringBuilder();
        await foreach (var update in models.StreamAsync(call, prompt, new ModelParameters { MaxTokens = 200, Temperature = 0 }, affinityKey, CancellationToken.None))
        {
            text.Append(update.Delta);
        }

        return Parse(text.ToString());
    }

    /// <summary>The prompt: the instructions, then the exchange fenced as data.</summary>
    public static List<ChatMessage> Prompt(string userMessage, string reply)
    {
        return
        [
            new(ChatRole.System, $"{Instructions} {PromptFence.Rule("exchange")}"),
            new(ChatRole.User, PromptFence.Quote("exchange", $"User: {userMessage}\n\nAssistant: {reply}")),
        ];
    }

    /// <summary>The <c>- fact</c> lines of a reply, trimmed, at most <see cref="MaxFacts"/>.</summary>
    public static IReadOnlyList<string> Parse(string reply) => [.. reply.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.StartsWith("- ", StringComparison.Ordinal) && l.Length > 3)
        .Select(l => l[2..].Trim())
        .Where(l => l.Length <= AgentMemoryGrain.MaxTextLength)
        .Take(MaxFacts)];
}
