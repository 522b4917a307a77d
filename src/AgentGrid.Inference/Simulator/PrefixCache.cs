namespace AgentGrid.Inference.Simulator;

/// <summary>
/// The simulator's prefix cache: prompts are cut into blocks of <see cref="BlockTokens"/> tokens, each block
/// identified by a hash chained over everything before it (like vLLM's block hashes), kept least-recently-used.
/// </summary>
public sealed class PrefixCache(int capacityBlocks)
{
    public const int BlockTokens = 16;

    private readonly Dictionary<ulong, LinkedListNode<ulong>> _blocks = [];
    private readonly LinkedList<ulong> _recency = new();
    private readonly Lock _lock = new();

    /// <summary>How many of <paramref name="blocks"/>' leading tokens are cached; then caches all of them.</summary>
    public int LookupAndInsert(IReadOnlyList<ulong> blocks)
    {
        lock (_lock)
        {
            var hits = 0;
            while (hits < blocks.Count && _blocks.ContainsKey(blocks[hits]))
            {
                hits++;
            }

            // Last block first, so the shared beginning of prompts is the most recently used and evicted last.
            for (var i = blocks.Count - 1; i >= 0; i--)
            {
                var block = blocks[i];
                if (_blocks.TryGetValue(block, out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    continue;
                }

                _blocks[block] = _recency.AddFirst(block);
                if (_blocks.Count > capacityBlocks)
                {
                    _blocks.Remove(_recency.Last!.Value);
                    _recency.RemoveLast();
                }
            }

            return hits * BlockTokens;
        }
    }

    /// <summary>
    /// The chained hashes of the prompt's full blocks (a trailing partial block is never cached). A <paramref name="salt"/>
    /// (the request's <c>cache_salt</c>) is mixed into the first block, as vLLM does, so prompts of different salts share none.
    /// </summary>
    public static IReadOnlyList<ulong> Blocks(IEnumerable<(string Role, string Content)> prompt, string? salt = null)
    {
        var blocks = new List<ulong>();
        var hash = salt is null ? Fnv1a.Offset : Fnv1a.Append(Fnv1a.Append(Fnv1a.Offset, salt), '\u0001');
        var inBlock = 0;
        foreach (var token in Tokens(prompt))
        {
            hash = Fnv1a.Append(Fnv1a.Append(hash, token), ' ');
            if (++inBlock == BlockTokens)
            {
                blocks.Add(hash);
                inBlock = 0;
            }
        }

        return blocks;
    }

    // The same token count as SimulatedReply.CountPromptTokens: three framing tokens per message, then its words.
    private static IEnumerable<string> Tokens(IEnumerable<(string Role, string Content)> prompt)
    {
        foreach (var (role, content) in prompt)
        {
            yield return "<|start|>";
            yield return role;
            yield return "<|sep|>";
            foreach (var word in content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return word;
            }
        }
    }
}
