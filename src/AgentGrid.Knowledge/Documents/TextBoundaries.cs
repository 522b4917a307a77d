namespace AgentGrid.Knowledge.Documents;

/// <summary>Where text may be cut: between sentences, between words, and (for one overlong word) anywhere.</summary>
internal static class TextBoundaries
{
    private const string SentenceEnds = ".!?\u2026\u3002";
    private const string Closers = "\"')]\u201D\u2019";

    /// <summary>The sentences of a paragraph, trimmed; a line break also ends one.</summary>
    public static IEnumerable<string> Sentences(string paragraph)
    {
        var start = 0;
        for (var i = 0; i < paragraph.Length; i++)
        {
            if (paragraph[i] == '\n' || (i > 0 && char.IsWhiteSpace(paragraph[i]) && EndsSentence(paragraph, i - 1)))
            {
                var sentence = paragraph[start..i].Trim();
                if (sentence.Length > 0)
                {
                    yield return sentence;
                }

                start = i + 1;
            }
        }

        var last = paragraph[start..].Trim();
        if (last.Length > 0)
        {
            yield return last;
        }
    }

    /// <summary>The words of a text: what lies between runs of whitespace.</summary>
    public static IEnumerable<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A word cut into pieces of at most <paramref name="size"/> characters, never inside a surrogate pair.</summary>
    public static IEnumerable<string> Slices(string word, int size)
    {
        for (var start = 0; start < word.Length;)
        {
            var end = Math.Min(word.Length, start + size);
            if (end < word.Length && char.IsHighSurrogate(word[end - 1]))
            {
                end = end - 1 > start ? end - 1 : end + 1;
            }

            yield return word[start..end];
            start = end;
        }
    }

    /// <summary>
    /// The end of <paramref name="text"/>, at most <paramref name="budget"/> characters, starting at a sentence when
    /// one starts early enough to keep at least half the budget, else at a word; empty when no boundary fits.
    /// </summary>
    public static string Tail(string text, int budget)
    {
        if (budget <= 0 || text.Length == 0)
        {
            return "";
        }

        var start = Math.Max(1, text.Length - budget);
        for (var i = start; i <= text.Length - Math.Max(1, budget / 2); i++)
        {
            if (StartsWord(text, i) && StartsSentence(text, i))
            {
                return text[i..];
            }
        }

        for (var i = start; i < text.Length; i++)
        {
            if (StartsWord(text, i))
            {
                return text[i..];
            }
        }

        return "";
    }

    private static bool StartsWord(string text, int i) => !char.IsWhiteSpace(text[i]) && char.IsWhiteSpace(text[i - 1]);

    private static bool StartsSentence(string text, int i)
    {
        var j = i - 1;
        for (; j >= 0 && char.IsWhiteSpace(text[j]); j--)
        {
            if (text[j] == '\n')
            {
                return true;
            }
        }

        return j >= 0 && EndsSentence(text, j);
    }

    // A sentence ends at . ! ? or an ellipsis, possibly followed by closing quotes or brackets.
    private static bool EndsSentence(string text, int i)
    {
        while (i > 0 && Closers.Contains(text[i]))
        {
            i--;
        }

        return SentenceEnds.Contains(text[i]);
    }
}
