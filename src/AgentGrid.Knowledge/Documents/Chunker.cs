using System.Text;

namespace AgentGrid.Knowledge.Documents;

/// <summary>
/// Cuts an <see cref="ExtractedDocument"/> into chunks for indexing. A chunk never spans two sections; it holds
/// whole paragraphs up to <see cref="ChunkingOptions.MaxChars"/>, and a paragraph too long for one is cut between
/// sentences, then between words, and inside a word only when the word alone is too long. Each chunk after the
/// first of a section starts with about <see cref="ChunkingOptions.OverlapChars"/> from the end of the one before,
/// cut at a sentence or word boundary. The same input always gives the same chunks.
/// </summary>
public static class Chunker
{
    /// <summary>The chunks of <paramref name="document"/>, numbered from 0; <c>validation_failed</c> for bad options.</summary>
    public static IReadOnlyList<DocumentChunk> Split(ExtractedDocument document, ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        ChunkingOptions.Validate(options);
        var chunks = new List<DocumentChunk>();
        foreach (var section in document.Sections)
        {
            foreach (var text in Pack(section.Text, options))
            {
                chunks.Add(new DocumentChunk(chunks.Count, section.Heading, text));
            }
        }

        return chunks;
    }

    private static IEnumerable<string> Pack(string text, ChunkingOptions options)
    {
        var current = new StringBuilder();
        foreach (var unit in ChunkUnit.Of(text, options.MaxChars))
        {
            if (current.Length == 0)
            {
                current.Append(unit.Text);
                continue;
            }

            if (current.Length + unit.Separator.Length + unit.Text.Length <= options.MaxChars)
            {
                current.Append(unit.Separator).Append(unit.Text);
                continue;
            }

            var previous = current.ToString();
            yield return previous;
            current.Clear();

            // The overlap gets whatever room the unit leaves, so a chunk never grows past the limit for it.
            var room = options.MaxChars - unit.Separator.Length - unit.Text.Length;
            var overlap = unit.StartsWord ? TextBoundaries.Tail(previous, Math.Min(options.OverlapChars, room)) : "";
            if (overlap.Length > 0)
            {
                current.Append(overlap).Append(unit.Separator);
            }

            current.Append(unit.Text);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
