using System.Text;

namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The simulator's text: a deterministic function of the model and the whole prompt, so a test can
/// compute the reply a given prompt must produce and so prove exactly what reached the backend.
/// </summary>
public static class SimulatedReply
{
    private static readonly string[] Vocabulary =
    [
        "the", "grid", "agent", "model", "token", "stream", "silo", "grain", "cluster", "node",
        "worker", "memory", "session", "reply", "prompt", "context", "cache", "batch", "queue", "latency",
        "routes", "places", "answers", "serves", "keeps", "scales", "drains", "loads", "reads", "writes",
        "quickly", "safely", "again", "together", "first", "next", "every", "each", "small", "large",
        "and", "with", "from", "into", "over", "under", "while", "because", "so", "then",
    ];

    /// <summary>The pieces of the reply, one per token, in order.</summary>
    public static IReadOnlyList<string> Tokens(string model, IEnumerable<(string Role, string Content)> prompt, int count)
    {
        var random = new Random(Seed(model, prompt));
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            var word = Vocabulary[random.Next(Vocabulary.Length)];
            tokens[i] = i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word;
        }

        if (count > 0)
        {
            tokens[^1] += ".";
        }

        return tokens;
    }

    public static string Text(string model, IEnumerable<(string Role, string Content)> prompt, int count) =>
        string.Concat(Tokens(model, prompt, count));

    /// <summary>A rough token count of a prompt: words and punctuation runs, as a BPE tokenizer sees them.</summary>
    public static int CountPromptTokens(IEnumerable<(string Role, string Content)> prompt) =>
        prompt.Sum(m => 3 + m.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);

    private static int Seed(string model, IEnumerable<(string Role, string Content)> prompt)
    {
        // FNV-1a over the UTF-8 bytes: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        void Append(string text)
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            hash = (hash ^ 0xFF) * 1099511628211UL;
        }

        Append(model);
        foreach (var (role, content) in prompt)
        {
            Append(role);
            Append(content);
        }

        return (int)(hash ^ (hash >> 32));
    }
}
