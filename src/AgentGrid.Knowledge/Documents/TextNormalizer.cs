using System.Text;

namespace AgentGrid.Knowledge.Documents;

/// <summary>Brings extracted text to one shape: <c>\n</c> line ends, no control characters, no trailing spaces.</summary>
internal static class TextNormalizer
{
    /// <summary>
    /// Turns CR LF and CR into LF, drops control characters other than LF and tab, trims each line's end, collapses
    /// three or more line breaks into one blank line and drops blank lines at the start and the end.
    /// </summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var blankLines = 0;
        foreach (var line in Filter(text).Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length == 0)
            {
                blankLines++;
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(blankLines > 0 ? "\n\n" : "\n");
            }

            builder.Append(trimmed);
            blankLines = 0;
        }

        return builder.ToString();
    }

    /// <summary>Collapses every run of whitespace, line breaks included, into one space.</summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The text's paragraphs: the pieces between blank lines, each normalised and none empty.</summary>
    public static IEnumerable<string> Paragraphs(string text) =>
        Normalize(text).Split("\n\n").Where(p => p.Length > 0);

    private static string Filter(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n' or '\u2028':
                    builder.Append('\n');
                    break;
                case '\u2029':
                    builder.Append("\n\n");
                    break;
                case '\t':
                    builder.Append(c);
                    break;
                case '\uFEFF':
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
