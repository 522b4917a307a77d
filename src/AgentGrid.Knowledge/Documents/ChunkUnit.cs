namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// The smallest piece <see cref="Chunker"/> places whole, and how it joins the piece before it: a paragraph that
/// fits a chunk; else the sentences of one; else the words of a sentence; else the slices of a word.
/// </summary>
internal readonly record struct ChunkUnit(string Text, string Separator)
{
    private const string ParagraphBreak = "\n\n";
    private const string Space = " ";
    private const string Nothing = "";

    /// <summary>Whether the unit may follow an overlap: not a slice glued to the middle of a word.</summary>
    public bool StartsWord => Separator.Length > 0;

    /// <summary>The units of a section's text, none longer than <paramref name="maxChars"/>.</summary>
    public static IEnumerable<ChunkUnit> Of(string text, int maxChars)
    {
        foreach (var paragraph in text.Split(ParagraphBreak).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (paragraph.Length <= maxChars)
            {
                yield return new ChunkUnit(paragraph, ParagraphBreak);
                continue;
            }

            var separator = ParagraphBreak;
            foreach (var sentence in TextBoundaries.Sentences(paragraph))
            {
                if (sentence.Length <= maxChars)
                {
                    yield return new ChunkUnit(sentence, separator);
                    separator = Space;
                    continue;
                }

                foreach (var word in TextBoundaries.Words(sentence))
                {
                    if (word.Length <= maxChars)
                    {
                        yield return new ChunkUnit(word, separator);
                        separator = Space;
                        continue;
                    }

                    foreach (var slice in TextBoundaries.Slices(word, maxChars))
                    {
                        yield return new ChunkUnit(slice, separator);
                        separator = Nothing;
                    }

                    separator = Space;
                }
            }
        }
    }
}
