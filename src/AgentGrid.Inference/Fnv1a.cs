namespace AgentGrid.Inference;

/// <summary>FNV-1a over UTF-16 characters: a fast hash that is the same in every process and run, unlike string.GetHashCode.</summary>
public static class Fnv1a
{
    public const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Hash(string text) => Append(Offset, text);

    public static ulong Append(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = Append(hash, c);
        }

        return hash;
    }

    public static ulong Append(ulong hash, char c) => (hash ^ c) * Prime;
}
